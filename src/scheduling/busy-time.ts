import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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
 */
export type BusyKind = 'sessions' | 'blocks';

export interface BusyRange {
  /** Epoch milliseconds, half-open [start, end); a session's range already includes its buffers. */
  start: number;
  end: number;
  /** Sessions only: when the session itself starts (the daily limit counts it on that date). */
  sessionStart?: number;
}

export interface BusyTimeSource {
  readonly kind: BusyKind;
  /**
   * Busy ranges of the coach overlapping [from, to), as of `now` (e.g. a hold that has expired by
   * `now` is not busy). Runs on the caller's manager (which may be inside a transaction).
   */
  busyRanges(
    m: EntityManager,
    coachId: string,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<BusyRange[]>;
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
