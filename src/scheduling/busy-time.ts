import { Injectable } from '@nestjs/common';

/**
 * The contract between scheduling and whatever keeps the coach busy (like payments/payable.ts).
 * Scheduling knows no feature module and reads no table but its own: bookings (Mend's own
 * sessions) and calendars (her other calendars) each register a source here at module init, and
 * the slot engine asks every source for the busy ranges near a window.
 *
 * Two kinds, because SPEC answers differently when a start loses to each:
 * - `sessions`: Mend's active bookings. A start that is free but for one of these is 409
 *   SLOT_TAKEN (a race lost), and they count towards the coach's daily limit.
 * - `blocks`: busy time from elsewhere. A start inside one is simply not offered (422
 *   SLOT_UNAVAILABLE when booked anyway).
 *
 * A source answers with one SQL SELECT over its own tables (written in its own repository), so
 * that scheduling can ask every source, its own time off and its settings version in one round
 * trip: on the slots hot path each statement's round trip costs more than the work.
 */
export type BusyKind = 'sessions' | 'blocks';

export interface BusyRange {
  /** Epoch milliseconds, half-open [start, end); a session's range already includes its buffers. */
  start: number;
  end: number;
  /** Sessions only: when the session itself starts (the daily limit counts it on that date). */
  sessionStart?: number;
}

/**
 * The placeholders a source's SELECT may use: `$1` the coach's id (uuid), `$2`/`$3` the window
 * [from, to) (timestamptz), `$4` now (timestamptz; e.g. a hold that has expired by now is not busy).
 */
export const BUSY_PARAMS = { coachId: '$1', from: '$2', to: '$3', now: '$4' } as const;

export interface BusyTimeSource {
  readonly kind: BusyKind;
  /**
   * One SELECT of the coach's busy ranges overlapping [from, to), with the columns `a` (busy
   * start) and `b` (busy end) as epoch milliseconds in float8, and for `sessions` also `c` (the
   * session's own start, epoch ms float8). It uses only the placeholders of BUSY_PARAMS and must
   * be served by an index on (coach, time).
   */
  busyRangesSql(): string;
}

/** Where sources register (scheduling exports it; bookings and calendars call `register`). */
@Injectable()
export class BusyTimeRegistry {
  private readonly all: BusyTimeSource[] = [];

  register(source: BusyTimeSource): void {
    if (!this.all.includes(source)) this.all.push(source);
  }

  sources(kinds: readonly BusyKind[]): BusyTimeSource[] {
    return this.all.filter((s) => kinds.includes(s.kind));
  }
}
