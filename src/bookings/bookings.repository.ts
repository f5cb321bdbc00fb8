import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ComposedStatement } from '../database/composed-statement';
import { runStatement } from '../database/statements.repository';
import { BUSY_PARAMS } from '../scheduling/busy-time';
import { pgCode } from '../database/pg-code';
import { Booking } from './booking.entity';

/**
 * "Active booking", defined once: confirmed, or a payment hold that has not expired by `now`.
 * (The exclusion constraint also covers expired holds still marked pending_payment: a booking that
 * loses to one releases the expired holds in its way and tries once more.)
 * `nowParam` is the SQL placeholder holding `now`, e.g. `$4`.
 */
export function activeBookingSql(nowParam: string, alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `(${a}status = 'confirmed' OR (${a}status = 'pending_payment' AND ${a}hold_expires_at > ${nowParam}))`;
}

const EPOCH_MS = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** Every query on the bookings table. */
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

  /** Expired holds overlapping a busy range stop blocking it; returns how many were released. */
  async releaseExpiredHolds(
    m: EntityManager,
    coachId: string,
    busyStart: Date,
    busyEnd: Date,
    now: Date,
  ): Promise<number> {
    const [rows]: [unknown[], number] = await m.query(
      `UPDATE bookings SET status = 'expired', updated_at = now()
       WHERE coach_id = $1 AND status = 'pending_payment' AND hold_expires_at <= $4
         AND tstzrange(busy_start, busy_end, '[)') && tstzrange($2, $3, '[)')
       RETURNING id`,
      [coachId, busyStart, busyEnd, now],
    );
    return rows.length;
  }

  /**
   * For a composed statement: the CTE `booking` (column id) inserting `b`, its client taken from
   * the CTE `client` (column id) written before it; nothing is inserted when `client` is empty.
   * The exclusion constraint refuses an overlap (23P01), failing the whole statement.
   */
  insertCte(s: ComposedStatement, b: Omit<Booking, 'clientId'>): void {
    const values = [
      s.param(b.id, 'uuid'),
      s.param(b.coachId, 'uuid'),
      'client.id',
      s.param(b.sessionTypeId, 'uuid'),
      s.param(b.status),
      s.param(b.startAt, 'timestamptz'),
      s.param(b.endAt, 'timestamptz'),
      s.param(b.busyStart, 'timestamptz'),
      s.param(b.busyEnd, 'timestamptz'),
      s.param(b.holdExpiresAt, 'timestamptz'),
      s.param(b.clientName),
      s.param(b.clientEmail),
      s.param(b.clientTimeZone),
      s.param(b.price, 'int'),
      s.param(b.currency),
      s.param(b.notes),
      s.param(b.intake === null ? null : JSON.stringify(b.intake), 'jsonb'),
      s.param(b.meetingUrl),
      s.param(b.manageTokenHash),
      s.param(b.sequence, 'int'),
    ];
    const now = s.param(b.createdAt, 'timestamptz');
    s.with(
      'booking',
      `INSERT INTO bookings (id, coach_id, client_id, session_type_id, status, start_at, end_at, busy_start, busy_end,
         hold_expires_at, client_name, client_email, client_time_zone, price, currency, notes, intake, meeting_url,
         manage_token_hash, sequence, created_at, updated_at)
       SELECT ${values.join(', ')}, ${now}, ${now} FROM client
       RETURNING id`,
    );
  }

  /**
   * Runs a new booking's composed statement (the CTEs `client` and `booking`, see insertCte):
   * the client's id, or null when it wrote nothing because the client's record was created by
   * someone else after the statement's snapshot (run it again: the new snapshot sees it).
   */
  async runInsert(m: EntityManager | undefined, s: ComposedStatement): Promise<string | null> {
    const [row] = await runStatement<{ client_id: string }>(
      this.dataSource,
      m,
      s.build(`SELECT client.id AS client_id FROM client CROSS JOIN booking`),
    );
    return row?.client_id ?? null;
  }

  /** Serialises bookings of one coach-day (the daily limit), until the caller's transaction ends. */
  async lockCoachDay(m: EntityManager, coachId: string, date: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`booking-day:${coachId}:${date}`]);
  }

  /** A hold whose checkout could not start: released at once. */
  async expireHold(id: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.query(
      `UPDATE bookings SET status = 'expired', updated_at = now() WHERE id = $1 AND status = 'pending_payment'`,
      [id],
    );
  }

  /**
   * Paid: confirms the booking if its slot is still free (inside the payments transaction, under a
   * savepoint); false when another booking took the slot meanwhile (it is then marked expired).
   */
  async confirmPaidIfFree(m: EntityManager, id: string): Promise<boolean> {
    await m.query('SAVEPOINT booking_paid');
    try {
      await m.query(
        `UPDATE bookings SET status = 'confirmed', hold_expires_at = NULL, updated_at = now() WHERE id = $1`,
        [id],
      );
      await m.query('RELEASE SAVEPOINT booking_paid');
      return true;
    } catch (e) {
      if (pgCode(e) !== '23P01') throw e;
      await m.query('ROLLBACK TO SAVEPOINT booking_paid');
      await m.query(`UPDATE bookings SET status = 'expired', updated_at = now() WHERE id = $1`, [
        id,
      ]);
      return false;
    }
  }

  /** Refunded: an active booking is cancelled (its invite sequence rises). */
  async cancelRefunded(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE bookings SET status = 'cancelled', cancelled_at = COALESCE(cancelled_at, now()), sequence = sequence + 1, updated_at = now()
       WHERE id = $1 AND status IN ('confirmed', 'pending_payment')`,
      [id],
    );
  }

  /**
   * Marks confirmed bookings starting in (now, until] whose reminder is unsent (booked more than a
   * day ahead) as reminded; returns their ids (inside the caller's transaction).
   */
  async claimDueReminders(m: EntityManager, now: Date, until: Date): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE bookings SET reminder_sent_at = $1
       WHERE status = 'confirmed' AND reminder_sent_at IS NULL AND start_at > $1 AND start_at <= $2 AND created_at <= start_at - interval '24 hours'
       RETURNING id`,
      [now, until],
    );
    return rows.map((r) => r.id);
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
