import { isIanaTimeZone } from '../../src/common/time-zone';
import { startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/** Offsets, ISO strings and legacy names are refused wherever a zone enters. */
describe('Time zones: IANA names only', () => {
  let t: TestApp;
  let coach: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    coach = await setUpCoach(t, 'call', { durationMinutes: 30 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('accepts Area/Location names and UTC; refuses offsets, ISO strings, legacy names and Etc/GMT±N', () => {
    for (const z of [
      'Europe/London',
      'America/Argentina/Buenos_Aires',
      'Asia/Kolkata',
      'UTC',
      'US/Eastern',
    ])
      expect(isIanaTimeZone(z)).toBe(true);
    for (const z of [
      '+01:00',
      '-05:00',
      'UTC+1',
      '2026-01-01T00:00:00+01:00[Europe/London]',
      'EST',
      'MST',
      'EST5EDT',
      'Etc/GMT+5',
      'Mars/Olympus',
      'europe/london',
      '',
      'Europe/London\u0000',
    ])
      expect(isIanaTimeZone(z)).toBe(false);
  });

  it('refuses "+01:00" as a booking zone with 400, storing nothing', async () => {
    const [slot] = await openSlots(t, 'call', dayFromNow(3));
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('call', slot.start, 'victim@example.com', { timeZone: '+01:00' }))
      .expect(400);
    expect(res.body.details.timeZone).toBeDefined();
    const rows = await t.dataSource.query(`SELECT 1 FROM users WHERE email = 'victim@example.com'`);
    expect(rows).toHaveLength(0);
  });

  it('refuses offsets in the availability API and the slots query', async () => {
    const res = await t
      .http()
      .put('/api/availability')
      .set('authorization', `Bearer ${coach}`)
      .send({ timeZone: '+01:00', weekly: [], overrides: [] })
      .expect(400);
    expect(res.body.details.timeZone).toBeDefined();
    await t
      .http()
      .get(
        `/api/session-types/call/slots?from=${dayFromNow(3)}&to=${dayFromNow(3)}&timeZone=%2B01:00`,
      )
      .expect(400);
    await t
      .http()
      .get(`/api/session-types/call/slots?from=${dayFromNow(3)}&to=${dayFromNow(3)}&timeZone=EST`)
      .expect(400);
  });

  it('shows booking pages in the coach zone when ?tz= is an offset, instead of failing', async () => {
    const res = await t.http().get('/book/call?tz=%2B01:00').expect(200);
    // The coach's zone (UTC here) as a place a visitor can picture, never a bare "UTC".
    expect(res.text).toContain('Reykjavik (GMT)');
    expect(res.text).not.toContain('UTC');
    await t
      .http()
      .get(
        `/book/call/details?tz=%2B01:00&start=${encodeURIComponent((await openSlots(t, 'call', dayFromNow(3)))[0].start)}`,
      )
      .expect((r) => {
        if (r.status >= 500) throw new Error(`answered ${r.status}`);
      });
  });
});
