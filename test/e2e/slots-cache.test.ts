import { SlotSettingsCache } from '../../src/scheduling/slot-settings-cache';
import { startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

jest.setTimeout(90_000);

/**
 * Each instance keeps the coach's settings and the session types in memory (SlotSettingsCache);
 * every change must show on the very next slots request, on the instance that made it and on
 * another one on the same database.
 */
describe('Slots: cached settings and session types are never stale', () => {
  let a: TestApp;
  let b: TestApp;
  let coach: string;
  const day = dayFromNow(5);
  const auth = () => ({ authorization: `Bearer ${coach}` });
  const hours = (list: { start: string }[]) => list.map((s) => s.start.slice(11, 16));
  const both = async (slug = 'cached') => [
    hours(await openSlots(a, slug, day)),
    hours(await openSlots(b, slug, day)),
  ];
  const version = async (): Promise<number> =>
    Number((await a.dataSource.query(`SELECT version FROM scheduling_version`))[0].version);

  beforeAll(async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '100000' };
    a = await startTestApp({ env, workers: false });
    b = await startTestApp({ env, workers: false, databaseUrl: a.databaseUrl, seed: false });
    coach = await setUpCoach(a, 'cached', { durationMinutes: 60 });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const everyHour = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];

  it('weekly hours and overrides changed through one instance show on both', async () => {
    expect(await both()).toEqual([everyHour, everyHour]); // both caches are warm now
    const before = await version();
    await a
      .http()
      .put('/api/availability')
      .set(auth())
      .send({
        timeZone: 'UTC',
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '10:00', end: '12:00' })),
        overrides: [],
      })
      .expect(200);
    expect(await version()).toBeGreaterThan(before);
    expect(await both()).toEqual([
      ['10:00', '11:00'],
      ['10:00', '11:00'],
    ]);
    await b
      .http()
      .put('/api/availability')
      .set(auth())
      .send({
        timeZone: 'UTC',
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '10:00', end: '12:00' })),
        overrides: [{ date: day, intervals: [{ start: '14:00', end: '15:00' }] }],
      })
      .expect(200);
    expect(await both()).toEqual([['14:00'], ['14:00']]);
  });

  it("the coach's time zone changed through one instance shows on both", async () => {
    await a
      .http()
      .put('/api/availability')
      .set(auth())
      .send({
        timeZone: 'Asia/Tokyo', // UTC+9 all year
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '18:00', end: '20:00' })),
        overrides: [],
      })
      .expect(200);
    expect(await both()).toEqual([
      ['09:00', '10:00'],
      ['09:00', '10:00'],
    ]);
  });

  it('time off added and removed through one instance shows on both', async () => {
    const off = await b
      .http()
      .post('/api/time-off')
      .set(auth())
      .send({ start: `${day}T09:00:00.000Z`, end: `${day}T10:00:00.000Z` })
      .expect(201);
    expect(await both()).toEqual([['10:00'], ['10:00']]);
    await a.http().delete(`/api/time-off/${off.body.id}`).set(auth()).expect(204);
    expect(await both()).toEqual([
      ['09:00', '10:00'],
      ['09:00', '10:00'],
    ]);
  });

  it('the daily limit saved through one instance applies on both', async () => {
    await a
      .http()
      .post('/api/bookings')
      .send(bookingBody('cached', `${day}T09:00:00.000Z`))
      .expect(201);
    expect(await both()).toEqual([['10:00'], ['10:00']]);
    await b
      .http()
      .put('/api/coach/settings')
      .set(auth())
      .send({ displayName: 'Coach', cancellationNoticeHours: 24, maxSessionsPerDay: 1 })
      .expect(200);
    expect(await both()).toEqual([[], []]);
    // …and the booking path refuses the day's second session.
    await a
      .http()
      .post('/api/bookings')
      .send(bookingBody('cached', `${day}T10:00:00.000Z`, 'second@example.com'))
      .expect(409);
    await a
      .http()
      .put('/api/coach/settings')
      .set(auth())
      .send({ displayName: 'Coach', cancellationNoticeHours: 24, maxSessionsPerDay: null })
      .expect(200);
    expect(await both()).toEqual([['10:00'], ['10:00']]);
  });

  it('a session type edited or hidden through one instance changes slots on both', async () => {
    const types = await a.http().get('/api/session-types').set(auth()).expect(200);
    const id = (types.body as { id: string; slug: string }[]).find((t) => t.slug === 'cached')!.id;
    await b
      .http()
      .patch(`/api/session-types/${id}`)
      .set(auth())
      .send({ durationMinutes: 30 })
      .expect(200);
    // 30-minute steps now; the 09:00 session still blocks 09:00–10:00.
    expect(await both()).toEqual([
      ['10:00', '10:30'],
      ['10:00', '10:30'],
    ]);
    await a
      .http()
      .patch(`/api/session-types/${id}`)
      .set(auth())
      .send({ active: false })
      .expect(200);
    await a.http().get(`/api/session-types/cached/slots?from=${day}&to=${day}`).expect(404);
    await b.http().get(`/api/session-types/cached/slots?from=${day}&to=${day}`).expect(404);
    await b.http().patch(`/api/session-types/${id}`).set(auth()).send({ active: true }).expect(200);
    expect((await both())[1]).toEqual(['10:00', '10:30']);
  });

  it('booking reads the session type through the same cache: an edit or hiding on one instance applies to bookings on the other', async () => {
    const other = dayFromNow(9);
    await a
      .http()
      .post('/api/session-types')
      .set(auth())
      .send({
        name: 'Booked by cache',
        slug: 'bycache',
        durationMinutes: 60,
        price: 0,
        currency: 'usd',
        minimumNoticeMinutes: 0,
        bookingWindowDays: 365,
      })
      .expect(201);
    const id = (await a.http().get('/api/session-types').set(auth()).expect(200)).body.find(
      (t: { slug: string }) => t.slug === 'bycache',
    ).id;
    await a
      .http()
      .put('/api/availability')
      .set(auth())
      .send({
        timeZone: 'UTC',
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
        overrides: [],
      });
    const first = await b
      .http()
      .post('/api/bookings')
      .send(bookingBody('bycache', `${other}T09:00:00.000Z`, 'one@example.com'))
      .expect(201); // b's booking path now holds the type
    expect(Date.parse(first.body.end) - Date.parse(first.body.start)).toBe(3_600_000);
    await a
      .http()
      .patch(`/api/session-types/${id}`)
      .set(auth())
      .send({ durationMinutes: 30 })
      .expect(200);
    const second = await b
      .http()
      .post('/api/bookings')
      .send(bookingBody('bycache', `${other}T11:00:00.000Z`, 'two@example.com'))
      .expect(201);
    expect(Date.parse(second.body.end) - Date.parse(second.body.start)).toBe(1_800_000);
    await a
      .http()
      .patch(`/api/session-types/${id}`)
      .set(auth())
      .send({ active: false })
      .expect(200);
    await b
      .http()
      .post('/api/bookings')
      .send(bookingBody('bycache', `${other}T13:00:00.000Z`, 'three@example.com'))
      .expect(404);
  });

  it('a change made outside the app (psql, a job) bumps the version through the triggers', async () => {
    const before = await version();
    await a.dataSource.query(
      `UPDATE coach_settings SET weekly = '[]'::jsonb, overrides = '[]'::jsonb`,
    );
    expect(await version()).toBe(before + 1);
    expect(await both()).toEqual([[], []]);
    await a.dataSource.query(`UPDATE session_types SET active = false WHERE slug = 'cached'`);
    expect(await version()).toBe(before + 2);
    await b.http().get(`/api/session-types/cached/slots?from=${day}&to=${day}`).expect(404);
  });

  it('answers plain JSON, exactly what JSON.stringify makes of the answer; errors keep their shape', async () => {
    await a.dataSource.query(
      `UPDATE coach_settings SET weekly = '[{"weekday":1,"start":"09:00","end":"17:00"},{"weekday":2,"start":"09:00","end":"17:00"},{"weekday":3,"start":"09:00","end":"17:00"},{"weekday":4,"start":"09:00","end":"17:00"},{"weekday":5,"start":"09:00","end":"17:00"},{"weekday":6,"start":"09:00","end":"17:00"},{"weekday":7,"start":"09:00","end":"17:00"}]'::jsonb`,
    );
    await a.dataSource.query(`UPDATE session_types SET active = true WHERE slug = 'cached'`);
    const res = await a
      .http()
      .get(
        `/api/session-types/cached/slots?from=${day}&to=${dayFromNow(7)}&timeZone=America/New_York`,
      )
      .expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body.timeZone).toBe('America/New_York');
    expect(res.body.slots.length).toBeGreaterThan(10);
    expect(res.text).toBe(JSON.stringify(res.body));
    const bad = await a
      .http()
      .get(`/api/session-types/cached/slots?from=${day}&to=2020-01-01`)
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.headers['content-type']).toContain('application/json');
    await a.http().get(`/api/session-types/nope/slots?from=${day}&to=${day}`).expect(404);
  });

  it('a read that saw an older version never puts its copy back (a newer one wins)', () => {
    const cache = b.app.get(SlotSettingsCache);
    const v = cache.currentVersion;
    const settings = { timeZone: 'UTC', weekly: [], overrides: [], maxSessionsPerDay: null };
    cache.keep(v + 1, 'coach-x', settings);
    expect(cache.coachSettings('coach-x')).toBe(settings);
    expect(cache.observe(v)).toBe(false); // an old read: its caller starts over…
    expect(cache.coachSettings('coach-x')).toBe(settings); // …and drops nothing
    cache.keep(v, 'coach-y', settings);
    expect(cache.coachSettings('coach-y')).toBeUndefined();
    expect(cache.observe(v + 2)).toBe(false);
    expect(cache.coachSettings('coach-x')).toBeUndefined();
  });
});
