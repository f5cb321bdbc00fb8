import {
  signup,
  startTestApp,
  TestApp,
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
} from '../support/app';
import { FakeStripe, send } from '../support/fake-stripe';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/**
 * Many different paid checkouts completing at the same moment, more than the connection pool
 * holds: each webhook transaction must do all its work (the payable handler's included) on its
 * own connection, or the pool deadlocks (every request holds one connection and waits for a second).
 */
describe('Payments under concurrent webhooks', () => {
  const fake = new FakeStripe();
  let t: TestApp;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: { ...fake.env(), RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  async function sessionFor(referenceId: string): Promise<string> {
    const [row] = await t.dataSource.query(
      `SELECT checkout_session_id FROM payments WHERE reference_id = $1`,
      [referenceId],
    );
    return row.checkout_session_id;
  }

  it('confirms 14 paid bookings whose completions arrive at once (pool of 10)', async () => {
    await setUpCoach(t, 'paid-many', { price: 9500, currency: 'usd', durationMinutes: 30 });
    const slots = [
      ...(await openSlots(t, 'paid-many', dayFromNow(5))),
      ...(await openSlots(t, 'paid-many', dayFromNow(6))),
    ].slice(0, 14);
    const ids: string[] = [];
    for (const [i, s] of slots.entries()) {
      const res = await t
        .http()
        .post('/api/bookings')
        .send(bookingBody('paid-many', s.start, `many${i}@example.com`))
        .expect(201);
      ids.push(res.body.id);
    }
    const events = await Promise.all(
      ids.map(async (id) => fake.completeSession(await sessionFor(id))),
    );
    const results = await Promise.all(events.map((e) => send(t.http, e)));
    expect(results.map((r) => r.status)).toEqual(events.map(() => 200));
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM bookings WHERE id = ANY($1) AND status = 'confirmed'`,
      [ids],
    );
    expect(row.n).toBe(14);
  });

  it('activates 14 paid enrollments whose completions arrive at once (pool of 10)', async () => {
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    await t
      .http()
      .patch('/api/program')
      .set('authorization', `Bearer ${coach}`)
      .send({ price: 19900 })
      .expect(200);
    const ids: string[] = [];
    for (let i = 0; i < 14; i++) {
      const token = await signup(t, `member${i}@example.com`, `Member ${i}`);
      const res = await t
        .http()
        .post('/api/program/enrollments')
        .set('authorization', `Bearer ${token}`)
        .expect(201);
      ids.push(res.body.id);
    }
    const events = await Promise.all(
      ids.map(async (id) => fake.completeSession(await sessionFor(id))),
    );
    const results = await Promise.all(events.map((e) => send(t.http, e)));
    expect(results.map((r) => r.status)).toEqual(events.map(() => 200));
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM enrollments WHERE id = ANY($1) AND status = 'active'`,
      [ids],
    );
    expect(row.n).toBe(14);
  });
});
