/** Cancellation and reschedule rules, as plain functions. */

export type Actor = 'coach' | 'client';

const HOUR = 3_600_000;

/** A client is inside the notice limit when `start - now` is at least the notice; the coach always is. */
export function withinNotice(actor: Actor, start: Date, now: Date, noticeHours: number): boolean {
  return actor === 'coach' || start.getTime() - now.getTime() >= noticeHours * HOUR;
}

/** A paid, confirmed booking is refunded in full when cancelled in time, or by the coach. */
export function refundDue(actor: Actor, start: Date, now: Date, noticeHours: number): boolean {
  return withinNotice(actor, start, now, noticeHours);
}

/** The policy in plain words, for pages and mails. */
export function policyInWords(noticeHours: number, paid: boolean): string {
  const notice =
    noticeHours === 0
      ? 'any time before it starts'
      : `up to ${noticeHours} hour${noticeHours === 1 ? '' : 's'} before it starts`;
  return paid
    ? `You can reschedule or cancel ${notice} and get a full refund. After that the session can't be moved online and cancelling doesn't refund automatically; just write to your coach.`
    : `You can reschedule or cancel ${notice}. After that, please write to your coach.`;
}
