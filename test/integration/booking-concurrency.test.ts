import { BookingJobsService } from '../../src/bookings/booking-jobs.service';
import { Clock } from '../../src/common/clock';
import { COACH_EMAIL, COACH_PASSWORD, loginAs, startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/** The no-double-booking guarantee under concurrency, in one instance and across two. */
// Jest's per-project testTimeout is not applied to a single-file run; these tests start apps and race.
jest.setTimeout(60_000);

describe('bookings under concurrency', () => {
  let t: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' }, workers: false });
    second = await startTestApp({
      env: { RATE_LIMIT_PER_MINUTE: '100000' },
      workers: false,
      databaseUrl: t.databaseUrl,
      seed: false,
    });
    await setUpCoach(t, 'race', { durationMinutes: 30, bufferAfterMinutes: 10 });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const statuses = (results: { status: number }[]) => {
    const count: Record<number, number> = {};
    for (const r of results) count[r.status] = (count[r.status] ?? 0) + 1;
    return count;
  };

  it('100 parallel bookings of one slot: exactly one 201, the rest 409 SLOT_TAKEN, no 5xx', async () => {
    const [slot] = await openSlots(t, 'race', dayFromNow(4));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t
          .http()
          .post('/api/bookings')
          .send(bookingBody('race', slot.start, `racer${i}@example.com`)),
      ),
    );
    expect(statuses(results)).toEqual({ 201: 1, 409: 99 });
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'SLOT_TAKEN')).toBe(
      true,
    );
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM bookings WHERE start_at = $1 AND status = 'confirmed'`,
      [slot.start],
    );
    expect(count).toBe(1);
  });

  it('the same across two app instances on one database, including overlapping (not equal) starts', async () => {
    const slots = await openSlots(t, 'race', dayFromNow(5));
    // 09:00 and 09:30 overlap through the 10-minute buffer after 09:00's session.
    const a = slots[0].start;
    const b = new Date(Date.parse(a) + 30 * 60_000).toISOString();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const app = i % 2 === 0 ? t : second;
        return app
          .http()
          .post('/api/bookings')
          .send(bookingBody('race', i % 4 < 2 ? a : b, `two${i}@example.com`));
      }),
    );
    const s = statuses(results);
    expect(s[201]).toBe(1);
    expect(s[409]).toBe(99);
    const rows = await t.dataSource.query(
      `SELECT start_at FROM bookings WHERE status = 'confirmed' AND start_at IN ($1, $2)`,
      [a, b],
    );
    expect(rows).toHaveLength(1);
  });

  it('one new person booking several slots at once on two instances: every booking made, one client record', async () => {
    // Each booking creates the client record in its own statement; the losers of that race find
    // the winner's record (after their snapshot: they run the statement again), never a 5xx.
    const slots = (await openSlots(t, 'race', dayFromNow(6))).filter((_, i) => i % 2 === 0);
    const people = ['newcomer-a', 'newcomer-b', 'newcomer-c'];
    const starts = slots.slice(0, 2 * people.length);
    expect(starts).toHaveLength(2 * people.length);
    const results = await Promise.all(
      starts.flatMap((slot, i) =>
        [t, second].map((app, k) =>
          app
            .http()
            .post('/api/bookings')
            .send(
              bookingBody('race', slot.start, `${people[i % people.length]}@example.com`, {
                preferredName: k === 0 ? 'Sam' : undefined,
              }),
            ),
        ),
      ),
    );
    // Both instances tried every slot: one booking per slot, the other got 409.
    expect(statuses(results)).toEqual({ 201: starts.length, 409: starts.length });
    for (const person of people) {
      const users = await t.dataSource.query(`SELECT id FROM users WHERE email = $1`, [
        `${person}@example.com`,
      ]);
      expect(users).toHaveLength(1);
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM bookings WHERE client_id = $1 AND status = 'confirmed'`,
        [users[0].id],
      );
      expect(count).toBe(2);
    }
  });

  it('a client record committed by someone else while the booking waits: the booking finds it and is made', async () => {
    const [slot] = await openSlots(t, 'race', dayFromNow(7));
    const other = t.dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      const [{ id }] = await other.query(
        `INSERT INTO users (email, name, role) VALUES ('late@example.com', 'Late Comer', 'client') RETURNING id`,
      );
      // The booking's statement starts now; its INSERT into users waits for this transaction.
      const booking = t
        .http()
        .post('/api/bookings')
        .send(bookingBody('race', slot.start, 'late@example.com'))
        .then((r) => r);
      let waiting = 0;
      for (let i = 0; i < 100 && !waiting; i++) {
        await new Promise((r) => setTimeout(r, 20));
        [{ waiting }] = await t.dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO bookings%'`,
        );
      }
      expect(waiting).toBe(1);
      await other.commitTransaction();
      // Its snapshot predates that commit, so the statement found no record and wrote nothing:
      // the service runs it once more and the booking is made for the existing record.
      const res = await booking;
      expect(res.status).toBe(201);
      const rows = await t.dataSource.query(`SELECT client_id FROM bookings WHERE id = $1`, [
        res.body.id,
      ]);
      expect(rows).toEqual([{ client_id: id }]);
    } finally {
      await other.release();
    }
  });

  it('parallel replays of one Idempotency-Key make one booking and give everyone the same answer', async () => {
    const [slot] = await openSlots(t, 'race', dayFromNow(6));
    const body = bookingBody('race', slot.start, 'same-key@example.com');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? t : second)
          .http()
          .post('/api/bookings')
          .set('idempotency-key', 'same-key')
          .send(body),
      ),
    );
    expect(statuses(results)).toEqual({ 201: 20 });
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM bookings WHERE client_email = 'same-key@example.com'`,
    );
    expect(count).toBe(1);
  });

  it('the database itself refuses overlapping active busy ranges (exclusion constraint)', async () => {
    const [b] = await t.dataSource.query(
      `SELECT * FROM bookings WHERE status = 'confirmed' LIMIT 1`,
    );
    const insert = (status: string) =>
      t.dataSource.query(
        `INSERT INTO bookings (coach_id, client_id, session_type_id, status, start_at, end_at, busy_start, busy_end, client_name, client_email, client_time_zone, price, currency, manage_token_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $5, $6, 'X', 'x@example.com', 'UTC', 0, 'usd', md5(random()::text))`,
        [
          b.coach_id,
          b.client_id,
          b.session_type_id,
          status,
          new Date(b.start_at.getTime() + 60_000),
          new Date(b.end_at.getTime() + 60_000),
        ],
      );
    await expect(insert('confirmed')).rejects.toMatchObject({ driverError: { code: '23P01' } });
    await expect(insert('pending_payment')).rejects.toMatchObject({
      driverError: { code: '23P01' },
    });
    await expect(insert('cancelled')).resolves.toBeDefined();
  });

  it('the daily limit holds under concurrency: different slots of one day, one place left → one booking', async () => {
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    await t
      .http()
      .put('/api/coach/settings')
      .set('authorization', `Bearer ${coach}`)
      .send({ displayName: 'Dana', cancellationNoticeHours: 24, maxSessionsPerDay: 1 })
      .expect(200);
    try {
      const day = dayFromNow(9);
      const slots = await openSlots(t, 'race', day);
      const results = await Promise.all(
        slots.slice(0, 10).map((s, i) =>
          (i % 2 ? t : second)
            .http()
            .post('/api/bookings')
            .send(bookingBody('race', s.start, `daily${i}@example.com`)),
        ),
      );
      expect(statuses(results)).toEqual({ 201: 1, 409: 9 });
      expect(await openSlots(t, 'race', day)).toEqual([]);
    } finally {
      await t
        .http()
        .put('/api/coach/settings')
        .set('authorization', `Bearer ${coach}`)
        .send({ displayName: 'Dana', cancellationNoticeHours: 24, maxSessionsPerDay: null })
        .expect(200);
    }
  });

  it('sends a 24-hour reminder once even when both instances run the job at the same moment', async () => {
    const [slot] = await openSlots(t, 'race', dayFromNow(3));
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('race', slot.start, 'remind-once@example.com'))
      .expect(201);
    const clocks = [t.app.get(Clock), second.app.get(Clock)];
    clocks.forEach((c) => c.advance(Date.parse(slot.start) - Date.now() - 20 * 3_600_000));
    try {
      const claimed = await Promise.all(
        [t, second, t, second].map((app) => app.app.get(BookingJobsService).sendDueReminders()),
      );
      expect(claimed.reduce((a, b) => a + b, 0)).toBe(1);
      const [{ c }] = await t.dataSource.query(
        `SELECT count(*)::int AS c FROM mail_outbox WHERE kind = 'booking_reminder' AND to_address = 'remind-once@example.com'`,
      );
      expect(c).toBe(1);
    } finally {
      clocks.forEach((c) => c.reset());
    }
  });
});
