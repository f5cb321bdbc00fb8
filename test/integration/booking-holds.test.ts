import { BookingJobsService } from '../../src/bookings/booking-jobs.service';
import { BookingPayableHandler } from '../../src/bookings/booking-payable.handler';
import { startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/** Holds (pending_payment) and what a payment outcome does to a booking. */
// Jest's per-project testTimeout is not applied to a single-file run; these tests start apps and race.
jest.setTimeout(60_000);

describe('booking holds and payment outcomes', () => {
  let t: TestApp;
  let handler: BookingPayableHandler;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' }, workers: false });
    await setUpCoach(t, 'held', { durationMinutes: 60, price: 9500 });
    await setUpCoach(t, 'free', { durationMinutes: 60 });
    handler = t.app.get(BookingPayableHandler);
  });
  afterAll(async () => t?.close());

  /** A hold as the booking flow makes it (the payments port is not part of this app yet). */
  async function hold(start: string, email: string, expiresInMinutes: number): Promise<string> {
    const [type] = await t.dataSource.query(
      `SELECT id, coach_id FROM session_types WHERE slug = 'held'`,
    );
    const [client] = await t.dataSource.query(
      `INSERT INTO users (email, name, role) VALUES ($1, 'Holder', 'client') ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id`,
      [email],
    );
    const end = new Date(Date.parse(start) + 3_600_000);
    const [row] = await t.dataSource.query(
      `INSERT INTO bookings (coach_id, client_id, session_type_id, status, start_at, end_at, busy_start, busy_end, hold_expires_at, client_name, client_email, client_time_zone, price, currency, manage_token_hash)
       VALUES ($1, $2, $3, 'pending_payment', $4, $5, $4, $5, now() + make_interval(mins => $6), 'Holder', $7, 'UTC', 9500, 'usd', md5(random()::text)) RETURNING id`,
      [type.coach_id, client.id, type.id, start, end, expiresInMinutes, email],
    );
    return row.id;
  }
  const status = async (id: string) =>
    (await t.dataSource.query(`SELECT status FROM bookings WHERE id = $1`, [id]))[0]
      .status as string;
  const mails = async (to: string, kind: string) =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS c FROM mail_outbox WHERE to_address = $1 AND kind = $2`,
        [to, kind],
      )
    )[0].c as number;

  it('an unexpired hold blocks the slot; an expired one is released by the next booking', async () => {
    const [slot] = await openSlots(t, 'free', dayFromNow(4));
    const live = await hold(slot.start, 'live@example.com', 30);
    expect((await openSlots(t, 'free', dayFromNow(4))).map((s) => s.start)).not.toContain(
      slot.start,
    );
    const taken = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('free', slot.start, 'late@example.com'))
      .expect(409);
    expect(taken.body.code).toBe('SLOT_TAKEN');
    await t.dataSource.query(
      `UPDATE bookings SET hold_expires_at = now() - interval '1 second' WHERE id = $1`,
      [live],
    );
    expect((await openSlots(t, 'free', dayFromNow(4))).map((s) => s.start)).toContain(slot.start);
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('free', slot.start, 'late@example.com'))
      .expect(201);
    expect(await status(live)).toBe('expired');
  });

  it('the sweep expires holds past their time and only those', async () => {
    const [a, b] = await openSlots(t, 'free', dayFromNow(5));
    const old = await hold(a.start, 'old@example.com', -1);
    const fresh = await hold(b.start, 'fresh@example.com', 30);
    expect(await t.app.get(BookingJobsService).expireHolds()).toBeGreaterThanOrEqual(1);
    expect(await status(old)).toBe('expired');
    expect(await status(fresh)).toBe('pending_payment');
  });

  it('onPaid confirms a hold and mails the confirmation; a redelivery changes nothing', async () => {
    const [slot] = await openSlots(t, 'free', dayFromNow(6));
    const id = await hold(slot.start, 'paid@example.com', 30);
    expect(await t.dataSource.transaction((m) => handler.onPaid(m, id, 'pay_1'))).toBe('fulfilled');
    expect(await status(id)).toBe('confirmed');
    expect(await t.dataSource.transaction((m) => handler.onPaid(m, id, 'pay_1'))).toBe('fulfilled');
    expect(await mails('paid@example.com', 'booking_confirmed')).toBe(1);
  });

  it('a payment after the hold expired confirms if the slot is still free', async () => {
    const [, slot] = await openSlots(t, 'free', dayFromNow(6));
    const id = await hold(slot.start, 'slow@example.com', -5);
    await t.app.get(BookingJobsService).expireHolds();
    expect(await status(id)).toBe('expired');
    expect(await t.dataSource.transaction((m) => handler.onPaid(m, id, 'pay_2'))).toBe('fulfilled');
    expect(await status(id)).toBe('confirmed');
  });

  it('… and asks for a refund and tells the client when someone took the slot', async () => {
    const [slot] = await openSlots(t, 'free', dayFromNow(7));
    const id = await hold(slot.start, 'toolate@example.com', -5);
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('free', slot.start, 'winner@example.com'))
      .expect(201);
    expect(await status(id)).toBe('expired');
    expect(await t.dataSource.transaction((m) => handler.onPaid(m, id, 'pay_3'))).toBe('refund');
    expect(await status(id)).toBe('expired');
    expect(await mails('toolate@example.com', 'booking_paid_too_late')).toBe(1);
    const active = await t.dataSource.query(
      `SELECT client_email FROM bookings WHERE start_at = $1 AND status = 'confirmed'`,
      [slot.start],
    );
    expect(active).toEqual([{ client_email: 'winner@example.com' }]);
  });

  it('a failed payment releases the hold; a refund cancels a confirmed booking', async () => {
    const [a, b] = await openSlots(t, 'free', dayFromNow(8));
    const failed = await hold(a.start, 'failed@example.com', 30);
    await t.dataSource.transaction((m) => handler.onPaymentFailed(m, failed, 'pay_4'));
    expect(await status(failed)).toBe('expired');
    const refunded = await hold(b.start, 'refunded@example.com', 30);
    await t.dataSource.transaction((m) => handler.onPaid(m, refunded, 'pay_5'));
    await t.dataSource.transaction((m) => handler.onRefunded(m, refunded, 'pay_5'));
    expect(await status(refunded)).toBe('cancelled');
    expect((await openSlots(t, 'free', dayFromNow(8))).map((s) => s.start)).toEqual(
      expect.arrayContaining([a.start, b.start]),
    );
  });
});
