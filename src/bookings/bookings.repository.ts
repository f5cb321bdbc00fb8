import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BUSY_PARAMS } from '../scheduling/busy-time';

/**
 * "Active booking", defined once: confirmed, or a payment hold that has not expired by `now`.
 * (The exclusion constraint also covers expired holds still marked pending_payment; they are
 * released in the booking transaction before they could get in the way.)
 * `nowParam` is the SQL placeholder holding `now`, e.g. `$4`.
 */
export function activeBookingSql(nowParam: string, alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `(${a}status = 'confirmed' OR (${a}status = 'pending_payment' AND ${a}hold_expires_at > ${nowParam}))`;
}

const EPOCH_MS = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** The queries of the bookings table that say what is busy (the rest still lives in the services). */
@Injectable()
export class BookingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The SELECT (placeholders of BUSY_PARAMS) of the busy ranges, buffers included, of the coach's
   * active bookings overlapping [from, to): the bookings module's busy-time source for scheduling,
   * which runs it in one statement with the other sources. Served by IDX_bookings_coach_busy
   * (sessions are at most a day long, hence the lower bound on busy_start). Epoch milliseconds
   * as float8: on the slots hot path, parsing timestamptz strings costs more than the query.
   */
  activeBusyRangesSql(): string {
    const p = BUSY_PARAMS;
    return `SELECT ${EPOCH_MS('busy_start')} AS a, ${EPOCH_MS('busy_end')} AS b, ${EPOCH_MS('start_at')} AS c
       FROM bookings WHERE coach_id = ${p.coachId} AND busy_start > ${p.from}::timestamptz - interval '1 day'
         AND busy_start < ${p.to}::timestamptz AND busy_end > ${p.from}::timestamptz AND ${activeBookingSql(`${p.now}::timestamptz`)}`;
  }

  /** How many active bookings of the coach start in [from, to), leaving out `exceptId`. */
  async countActiveStarting(
    m: EntityManager,
    coachId: string,
    from: Date,
    to: Date,
    now: Date,
    exceptId: string | null,
  ): Promise<number> {
    const [{ count }]: { count: number }[] = await m.query(
      `SELECT count(*)::int AS count FROM bookings
       WHERE coach_id = $1 AND start_at >= $2 AND start_at < $3 AND ($5::uuid IS NULL OR id <> $5::uuid)
         AND ${activeBookingSql('$4')}`,
      [coachId, from, to, now, exceptId],
    );
    return count;
  }

  /** Expired holds overlapping a busy range stop blocking it (inside the caller's transaction). */
  async releaseExpiredHolds(
    m: EntityManager,
    coachId: string,
    busyStart: Date,
    busyEnd: Date,
    now: Date,
  ): Promise<void> {
    await m.query(
      `UPDATE bookings SET status = 'expired', updated_at = now()
       WHERE coach_id = $1 AND status = 'pending_payment' AND hold_expires_at <= $4
         AND tstzrange(busy_start, busy_end, '[)') && tstzrange($2, $3, '[)')`,
      [coachId, busyStart, busyEnd, now],
    );
  }

  /** The intake answers of the client's most recent booking that had any (prefill). */
  async latestIntake(clientId: string): Promise<Record<string, string>> {
    const [row]: { intake: Record<string, string> }[] = await this.dataSource.query(
      `SELECT intake FROM bookings WHERE client_id = $1 AND intake IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
      [clientId],
    );
    return row?.intake ?? {};
  }

  /** Expires every hold past its time; returns how many. */
  async expireAllHolds(now: Date): Promise<number> {
    // TypeORM answers UPDATE … RETURNING with [rows, affected].
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE bookings SET status = 'expired', updated_at = now() WHERE status = 'pending_payment' AND hold_expires_at <= $1 RETURNING id`,
      [now],
    );
    return rows.length;
  }
}
