import { startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

jest.setTimeout(90_000);

/**
 * SLOTS_ANSWER_MS: an instance may answer the same slots request from memory for a moment (the
 * production default is 500 ms; a longer one here keeps the test clear of a loaded machine's
 * pauses). The answer is then a moment old, never wrong where it matters: a booking is always
 * checked by the database.
 */
describe('Slots: the same request answered from memory for a moment', () => {
  const KEPT_MS = 3_000;
  let a: TestApp;
  let b: TestApp;
  let coach: string;
  const day = dayFromNow(6);
  const hours = (list: { start: string }[]) => list.map((s) => s.start.slice(11, 16));
  const everyHour = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];

  /** Asks `t` until the answer's hours equal `want` (at most twice the keeping time). */
  async function eventually(t: TestApp, want: string[]): Promise<string[]> {
    const until = Date.now() + 2 * KEPT_MS + 2_000;
    let seen = hours(await openSlots(t, 'kept', day));
    while (JSON.stringify(seen) !== JSON.stringify(want) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      seen = hours(await openSlots(t, 'kept', day));
    }
    return seen;
  }

  beforeAll(async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '100000', SLOTS_ANSWER_MS: String(KEPT_MS) };
    a = await startTestApp({ env, workers: false });
    b = await startTestApp({ env, workers: false, databaseUrl: a.databaseUrl, seed: false });
    coach = await setUpCoach(a, 'kept', { durationMinutes: 60 });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a kept answer is served until it expires, then the next request sees the change', async () => {
    expect(hours(await openSlots(a, 'kept', day))).toEqual(everyHour); // kept on a now
    // Time off written straight into the database (as another instance or a job would).
    await a.dataSource.query(
      `INSERT INTO time_off (id, coach_id, start_at, end_at, reason)
       SELECT gen_random_uuid(), id, $1::timestamptz, $2::timestamptz, 'test' FROM users WHERE role = 'coach'`,
      [`${day}T09:00:00Z`, `${day}T12:00:00Z`],
    );
    expect(hours(await openSlots(b, 'kept', day))).toEqual(everyHour.slice(3)); // b asks afresh
    expect(hours(await openSlots(a, 'kept', day))).toEqual(everyHour); // a: the kept answer
    expect(await eventually(a, everyHour.slice(3))).toEqual(everyHour.slice(3));
  });

  it('a kept slot that was booked elsewhere is still refused by the database (409)', async () => {
    const open = hours(await openSlots(a, 'kept', day));
    expect(open).toContain('15:00');
    await b
      .http()
      .post('/api/bookings')
      .send(bookingBody('kept', `${day}T15:00:00.000Z`, 'first@example.com'))
      .expect(201);
    expect(hours(await openSlots(a, 'kept', day))).toContain('15:00'); // a moment old
    const second = await a
      .http()
      .post('/api/bookings')
      .send(bookingBody('kept', `${day}T15:00:00.000Z`, 'second@example.com'))
      .expect(409);
    expect(second.body.code).toBe('SLOT_TAKEN');
    expect(await eventually(a, ['12:00', '13:00', '14:00', '16:00'])).toEqual([
      '12:00',
      '13:00',
      '14:00',
      '16:00',
    ]);
  });

  it('each request has its own answer: zone, dates and type are part of the key', async () => {
    const utc = await a
      .http()
      .get(`/api/session-types/kept/slots?from=${day}&to=${day}&timeZone=UTC`)
      .expect(200);
    const tokyo = await a
      .http()
      .get(`/api/session-types/kept/slots?from=${day}&to=${day}&timeZone=Asia/Tokyo`)
      .expect(200);
    expect(utc.body.timeZone).toBe('UTC');
    expect(tokyo.body.timeZone).toBe('Asia/Tokyo');
    expect(tokyo.body.slots).not.toEqual(utc.body.slots); // Tokyo's day is another window
    const next = dayFromNow(7);
    const later = await a
      .http()
      .get(`/api/session-types/kept/slots?from=${next}&to=${next}&timeZone=UTC`)
      .expect(200);
    expect(hours(later.body.slots)).toEqual(everyHour);
  });

  it('refusals are never kept: an unknown type or a bad zone answers the same every time', async () => {
    for (let i = 0; i < 2; i++) {
      await a.http().get(`/api/session-types/nope/slots?from=${day}&to=${day}`).expect(404);
      const bad = await a
        .http()
        .get(`/api/session-types/kept/slots?from=${day}&to=${day}&timeZone=Mars/Olympus`)
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
    // A type created after a 404 is found at once (the 404 was not kept).
    await a
      .http()
      .post('/api/session-types')
      .set('authorization', `Bearer ${coach}`)
      .send({
        name: 'Late',
        slug: 'nope',
        durationMinutes: 60,
        price: 0,
        currency: 'usd',
        minimumNoticeMinutes: 0,
        bookingWindowDays: 365,
      })
      .expect(201);
    await a.http().get(`/api/session-types/nope/slots?from=${day}&to=${day}`).expect(200);
  });

  it('concurrent identical requests all get the same answer', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        a.http().get(`/api/session-types/kept/slots?from=${day}&to=${day}&timeZone=UTC`),
      ),
    );
    for (const r of answers) expect(r.status).toBe(200);
    expect(new Set(answers.map((r) => r.text)).size).toBe(1);
  });
});
