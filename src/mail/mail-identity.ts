/**
 * Who the mail is from: the site module provides it (the practice's name and the coach's
 * signature), so that mail never says "Mend" to her clients. Optional: without it, MAIL_FROM as is.
 */
export const MAIL_IDENTITY = Symbol('MAIL_IDENTITY');

export interface MailIdentity {
  /** The From header: MAIL_FROM's address with the practice's name. */
  mailFrom(): Promise<string>;
  /** The sign-off line, e.g. "Ruth Calder · Steady Ground Coaching". */
  mailSignature(): Promise<string>;
}

/** Mail texts are written signed "— Mend"; the practice's own signature takes its place. */
export function signMail(text: string, signature: string): string {
  return text.replace(/^— Mend$/gm, `— ${signature}`);
}
