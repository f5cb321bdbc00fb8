/**
 * What erasing an account (DELETE /api/me) erases and what it keeps, stated once: the account page,
 * the delete page and the final mail show these words, and the README repeats them. Keep all of
 * them true to DataRightsService.erase (src/clients) and the modules' eraseFor methods.
 */
import { PAYMENT_RECORD_RETENTION_YEARS } from '../payments/payable';

export interface KeptItem {
  what: string;
  howLong: string;
  why: string;
}

export const DELETION_SCOPE = {
  erased: [
    'Your account: your name, preferred name, pronouns, email address, password, time zone and every sign-in.',
    'Your sessions with the coach, past and upcoming, with your notes and intake answers. Upcoming sessions are cancelled first, and paid ones are refunded in full.',
    'The coach’s private notes about you.',
    'Your 12 Steps enrollment, progress and reflections, shared or not.',
    'Your comments, star ratings and newsletter subscription.',
    'Our copies of the mails sent to you, or that mention your email address.',
  ],
  kept: [
    {
      what: 'Payment records: amount, currency, date, what was paid for, refunds, and Stripe’s reference. They are anonymised: your name and email are removed.',
      howLong: `${PAYMENT_RECORD_RETENTION_YEARS} years from the payment, then deleted automatically.`,
      why: 'The practice must keep records of the money it received and refunded for its accounts and taxes.',
    },
    {
      what: 'Audit entries: that the coach read your notes or shared reflections, that you exported your data, and that you erased your account, with the time. They hold a random identifier, never your name, email or anything you wrote, and once your account is gone nothing links that identifier to you.',
      howLong: 'As long as the practice keeps its records here. Nobody can change or delete them.',
      why: 'So that every access to private writing stays accountable.',
    },
    {
      what: 'The last mails: the confirmation of this erasure, notices of cancelled sessions (to you and to the coach), and any mail about you that was still on its way. They are sent after the erasure, and our copy of each stays in the mail log.',
      howLong: 'These copies are not deleted automatically.',
      why: 'They are the record that you were told.',
    },
  ] satisfies KeptItem[],
  enrollment:
    'A paid 12 Steps enrollment ends with your account: your access stops and your reflections are erased. It is not refunded automatically. If you would like a refund, ask the coach before you delete your account.',
  outside:
    'Outside this site: Stripe, the payment processor, keeps its own record of your payments (including card details) under its privacy policy, and mails already delivered to the coach’s own mailbox stay there.',
} as const;

/** The same statement as plain text, for the final mail. */
export function deletionScopeText(): string {
  return [
    'What was erased:',
    ...DELETION_SCOPE.erased.map((e) => `- ${e}`),
    '',
    'What is kept, for how long, and why:',
    ...DELETION_SCOPE.kept.map((k) => `- ${k.what}\n  How long: ${k.howLong}\n  Why: ${k.why}`),
    '',
    DELETION_SCOPE.enrollment,
    '',
    DELETION_SCOPE.outside,
  ].join('\n');
}
