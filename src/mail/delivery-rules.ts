/**
 * The mail worker's rules, as plain functions.
 *
 * - Retries back off exponentially from `baseMs`, capped at 5 minutes.
 * - A mail is given up (status `failed`) after 3 attempts the server refused permanently (5xx), or
 *   when it is still undelivered a day after it was written.
 * - Newsletter pacing: at most `maxPerMinute` bulk mails started in any 60 s window, and at most
 *   ceil(maxPerMinute / 60) in any 1 s window, so a limit is met smoothly, not in one burst a minute.
 */
export const RETRY_CAP_MS = 5 * 60_000;
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
export const PERMANENT_ATTEMPTS = 3;

export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS);
}

/** SMTP reply codes 500–599 are permanent; connection errors and 4xx are worth retrying. */
export function isPermanentSmtpError(e: unknown): boolean {
  const code =
    typeof e === 'object' && e !== null
      ? (e as { responseCode?: unknown }).responseCode
      : undefined;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** No SMTP reply at all (refused, reset, timed out): the server itself is unreachable. */
export function isConnectionError(e: unknown): boolean {
  const code =
    typeof e === 'object' && e !== null
      ? (e as { responseCode?: unknown }).responseCode
      : undefined;
  return typeof code !== 'number';
}

export function shouldGiveUp(
  attempts: number,
  permanent: boolean,
  createdAt: Date,
  now: Date,
): boolean {
  if (permanent && attempts >= PERMANENT_ATTEMPTS) return true;
  return now.getTime() - createdAt.getTime() >= GIVE_UP_AFTER_MS;
}

/** How many bulk mails may start now, given how many started in the last minute and second. */
export function bulkBudget(
  maxPerMinute: number,
  startedLastMinute: number,
  startedLastSecond: number,
): number {
  const perSecond = Math.ceil(maxPerMinute / 60);
  return Math.max(0, Math.min(maxPerMinute - startedLastMinute, perSecond - startedLastSecond));
}

/** A stable Message-ID for an outbox row: a repeated delivery carries the same one. */
export function messageIdFor(outboxId: string, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'mend.local';
  return `<${outboxId}@${domain}>`;
}
