import { RepairTimeZones1796140000000 } from '../../migrations/1796140000000-RepairTimeZones';
import { COACH_EMAIL, startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

describe('Migration: repairing stored time zones', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads bad booking and person zones as the coach zone, and a bad coach zone as UTC', async () => {
    await setUpCoach(t, 'call', { durationMinutes: 30 });
    await t.dataSource.query(`UPDATE coach_settings SET time_zone = 'Europe/Berlin'`);
    const [a, b] = await openSlots(t, 'call', dayFromNow(4));
    const good = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('call', a.start, 'good@example.com'))
      .expect(201);
    const bad = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('call', b.start, 'bad@example.com'))
      .expect(201);
    // What the old validation let in.
    await t.dataSource.query(`UPDATE bookings SET client_time_zone = '+01:00' WHERE id = $1`, [
      bad.body.id,
    ]);
    await t.dataSource.query(`UPDATE users SET time_zone = 'EST' WHERE email = 'bad@example.com'`);

    const runner = t.dataSource.createQueryRunner();
    try {
      await new RepairTimeZones1796140000000().up(runner);
    } finally {
      await runner.release();
    }
    const zones: { id: string; client_time_zone: string }[] = await t.dataSource.query(
      `SELECT id, client_time_zone FROM bookings`,
    );
    expect(zones.find((z) => z.id === bad.body.id)!.client_time_zone).toBe('Europe/Berlin');
    expect(zones.find((z) => z.id === good.body.id)!.client_time_zone).toBe('Europe/London');
    const [user] = await t.dataSource.query(
      `SELECT time_zone FROM users WHERE email = 'bad@example.com'`,
    );
    expect(user.time_zone).toBe('Europe/Berlin');
    const [goodUser] = await t.dataSource.query(
      `SELECT time_zone FROM users WHERE email = 'good@example.com'`,
    );
    expect(goodUser.time_zone).toBe('Europe/London');

    await t.dataSource.query(
      `UPDATE coach_settings SET time_zone = '2026-01-01T00:00+01:00[Europe/Paris]'`,
    );
    const runner2 = t.dataSource.createQueryRunner();
    try {
      await new RepairTimeZones1796140000000().up(runner2);
    } finally {
      await runner2.release();
    }
    const [coach] = await t.dataSource.query(
      `SELECT s.time_zone FROM coach_settings s JOIN users u ON u.id = s.coach_id WHERE u.email = $1`,
      [COACH_EMAIL],
    );
    expect(coach.time_zone).toBe('UTC');
  });
});
