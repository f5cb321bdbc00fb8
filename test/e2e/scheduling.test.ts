import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  pageForm,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';
import { dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

// Jest's per-project testTimeout is not applied to a single-file run; these tests start apps and race.
jest.setTimeout(60_000);

describe('Scheduling API (coach setup and slots)', () => {
  let t: TestApp;
  let coach: string;
  const auth = () => ({ authorization: `Bearer ${coach}` });

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' }, workers: false });
    coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
  });
  afterAll(async () => t?.close());

  it('saves and reads weekly hours and overrides in the coach zone', async () => {
    const body = {
      timeZone: 'America/New_York',
      weekly: [
        { weekday: 1, start: '13:00', end: '17:00' },
        { weekday: 1, start: '09:00', end: '12:00' },
      ],
      overrides: [{ date: '2026-12-24', intervals: [] }],
    };
    const res = await t.http().put('/api/availability').set(auth()).send(body).expect(200);
    expect(res.body.weekly).toEqual([
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 1, start: '13:00', end: '17:00' },
    ]);
    const got = await t.http().get('/api/availability').set(auth()).expect(200);
    expect(got.body).toEqual({
      timeZone: 'America/New_York',
      weekly: res.body.weekly,
      overrides: [{ date: '2026-12-24', intervals: [] }],
    });
  });

  it('rejects bad availability: overlaps, end before start, unknown zone, bad dates, unknown fields', async () => {
    const bad = await t
      .http()
      .put('/api/availability')
      .set(auth())
      .send({
        timeZone: 'Mars/Olympus',
        weekly: [
          { weekday: 2, start: '09:00', end: '12:00' },
          { weekday: 2, start: '11:00', end: '13:00' },
          { weekday: 3, start: '10:00', end: '10:00' },
        ],
        overrides: [{ date: '2026-02-30', intervals: [] }],
      })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(bad.body.details).sort()).toEqual([
      'overrides.0.date',
      'timeZone',
      'weekly.weekday2',
      'weekly.weekday3.0',
    ]);
    const shape = await t
      .http()
      .put('/api/availability')
      .set(auth())
      .send({
        timeZone: 'UTC',
        weekly: [{ weekday: 8, start: '9', end: '25:00' }],
        overrides: [],
        extra: 1,
      })
      .expect(400);
    expect(Object.keys(shape.body.details)).toEqual(
      expect.arrayContaining(['extra', 'weekly.0.weekday', 'weekly.0.start', 'weekly.0.end']),
    );
  });

  it('guards coach routes: 401 signed out, 403 for clients', async () => {
    await t.http().get('/api/availability').expect(401);
    const client = await signup(t, 'client-sched@example.com');
    await t
      .http()
      .put('/api/coach/settings')
      .set('authorization', `Bearer ${client}`)
      .send({ displayName: 'X', cancellationNoticeHours: 1, maxSessionsPerDay: null })
      .expect(403);
    await t
      .http()
      .post('/api/session-types')
      .set('authorization', `Bearer ${client}`)
      .send({ name: 'x', slug: 'x', durationMinutes: 30 })
      .expect(403);
  });

  it('manages session types: ranges, unique slug (409), public list of active ones, patch', async () => {
    const bad = await t
      .http()
      .post('/api/session-types')
      .set(auth())
      .send({
        name: 'X',
        slug: 'Bad Slug',
        durationMinutes: 4,
        bufferBeforeMinutes: 241,
        bookingWindowDays: 0,
        price: -1,
      })
      .expect(400);
    expect(Object.keys(bad.body.details).sort()).toEqual([
      'bookingWindowDays',
      'bufferBeforeMinutes',
      'durationMinutes',
      'price',
      'slug',
    ]);
    const created = await t
      .http()
      .post('/api/session-types')
      .set(auth())
      .send({ name: 'Walk and talk', slug: 'walk', durationMinutes: 45, price: 0, currency: 'usd' })
      .expect(201);
    expect(created.body).toMatchObject({
      slug: 'walk',
      durationMinutes: 45,
      slotIntervalMinutes: null,
      active: true,
      bookingWindowDays: 60,
    });
    const dup = await t
      .http()
      .post('/api/session-types')
      .set(auth())
      .send({ name: 'Again', slug: 'walk', durationMinutes: 30 })
      .expect(409);
    expect(dup.body.code).toBe('CONFLICT');
    await t
      .http()
      .patch(`/api/session-types/${created.body.id}`)
      .set(auth())
      .send({ active: false, durationMinutes: 50 })
      .expect(200);
    const pub = await t.http().get('/api/session-types').expect(200);
    expect(pub.body.map((s: { slug: string }) => s.slug)).not.toContain('walk');
    const mine = await t.http().get('/api/session-types').set(auth()).expect(200);
    expect(mine.body.find((s: { slug: string }) => s.slug === 'walk')).toMatchObject({
      active: false,
      durationMinutes: 50,
    });
    await t
      .http()
      .patch('/api/session-types/00000000-0000-4000-8000-000000000000')
      .set(auth())
      .send({ active: true })
      .expect(404);
  });

  it('edits a session type from the coach pages, with the same validation as the API', async () => {
    const created = await t
      .http()
      .post('/api/session-types')
      .set(auth())
      .send({
        name: 'Walk and talk',
        slug: 'stroll',
        durationMinutes: 45,
        price: 5000,
        currency: 'usd',
      })
      .expect(201);
    const id = created.body.id as string;
    const edit = await t
      .http()
      .get(`/coach/session-types/${id}/edit`)
      .set('cookie', `mend_session=${coach}`)
      .expect(200);
    expect(edit.text).toContain('value="50.00"');
    const { cookie, csrf } = await pageForm(t, `/coach/session-types/${id}/edit`, coach);
    const fields = {
      name: 'Walk and talk',
      slug: 'stroll',
      description: '',
      durationMinutes: '60',
      price: '65.50',
      currency: 'usd',
      bufferBeforeMinutes: '5',
      bufferAfterMinutes: '5',
      minimumNoticeMinutes: '60',
      bookingWindowDays: '30',
      slotIntervalMinutes: '',
      location: 'The park',
    };
    const bad = await t
      .http()
      .post(`/coach/session-types/${id}`)
      .set('cookie', cookie)
      .type('form')
      .send({ ...fields, _csrf: csrf, durationMinutes: '999' })
      .expect(400);
    expect(bad.text).toMatch(/durationMinutes/);
    await t
      .http()
      .post(`/coach/session-types/${id}`)
      .set('cookie', cookie)
      .type('form')
      .send({ ...fields, _csrf: csrf })
      .expect(303);
    const after = (await t.http().get('/api/session-types').expect(200)).body.find(
      (x: { id: string }) => x.id === id,
    );
    expect(after).toMatchObject({
      durationMinutes: 60,
      price: 6550,
      bufferBeforeMinutes: 5,
      location: 'The park',
      slotIntervalMinutes: null,
    });
    await t
      .http()
      .post(`/coach/session-types/${id}`)
      .set('cookie', cookie)
      .type('form')
      .send({ ...fields })
      .expect(403);
    const client = await signup(t, 'not-the-coach@example.com');
    await t
      .http()
      .get(`/coach/session-types/${id}/edit`)
      .set('cookie', `mend_session=${client}`)
      .expect(403);
  });

  it('keeps settings and time off', async () => {
    const s = await t
      .http()
      .put('/api/coach/settings')
      .set(auth())
      .send({ displayName: 'Dana Reyes', cancellationNoticeHours: 48, maxSessionsPerDay: 3 })
      .expect(200);
    expect(s.body).toEqual({
      displayName: 'Dana Reyes',
      cancellationNoticeHours: 48,
      maxSessionsPerDay: 3,
    });
    await t
      .http()
      .put('/api/coach/settings')
      .set(auth())
      .send({ displayName: 'Dana', cancellationNoticeHours: -1, maxSessionsPerDay: 0 })
      .expect(400);
    await t
      .http()
      .post('/api/time-off')
      .set(auth())
      .send({ start: '2026-12-24T10:00:00Z', end: '2026-12-24T09:00:00Z' })
      .expect(400);
    const off = await t
      .http()
      .post('/api/time-off')
      .set(auth())
      .send({ start: '2026-12-24T00:00:00Z', end: '2026-12-27T00:00:00Z', reason: 'Holidays' })
      .expect(201);
    const list = await t.http().get('/api/time-off').set(auth()).expect(200);
    expect(list.body).toEqual([
      {
        id: off.body.id,
        start: '2026-12-24T00:00:00.000Z',
        end: '2026-12-27T00:00:00.000Z',
        reason: 'Holidays',
      },
    ]);
    await t.http().delete(`/api/time-off/${off.body.id}`).set(auth()).expect(204);
    await t.http().delete(`/api/time-off/${off.body.id}`).set(auth()).expect(404);
    await t
      .http()
      .put('/api/coach/settings')
      .set(auth())
      .send({ displayName: 'Dana', cancellationNoticeHours: 24, maxSessionsPerDay: null })
      .expect(200);
  });

  it('answers slots in the visitor zone; bad zone, reversed or too long ranges → 400; unknown type → 404', async () => {
    await setUpCoach(t, 'slots-type', { durationMinutes: 60 });
    const day = dayFromNow(10);
    const slots = await openSlots(t, 'slots-type', day);
    expect(slots[0]).toEqual({ start: `${day}T09:00:00.000Z`, end: `${day}T10:00:00.000Z` });
    expect(slots).toHaveLength(8);
    const kolkata = await t
      .http()
      .get(`/api/session-types/slots-type/slots?from=${day}&to=${day}&timeZone=Asia/Kolkata`)
      .expect(200);
    expect(kolkata.body.timeZone).toBe('Asia/Kolkata');
    // Kolkata's day ends at 18:30 UTC: every UTC slot of that day is inside it.
    expect(kolkata.body.slots.map((s: { start: string }) => s.start)).toEqual(
      slots.map((s) => s.start),
    );
    const defaultZone = await t
      .http()
      .get(`/api/session-types/slots-type/slots?from=${day}&to=${day}`)
      .expect(200);
    expect(defaultZone.body.timeZone).toBe('UTC');
    await t
      .http()
      .get(`/api/session-types/slots-type/slots?from=${day}&to=${day}&timeZone=Nowhere/Land`)
      .expect(400);
    await t
      .http()
      .get(`/api/session-types/slots-type/slots?from=2026-12-10&to=2026-12-01`)
      .expect(400);
    await t
      .http()
      .get(`/api/session-types/slots-type/slots?from=2026-01-01&to=2026-03-05`)
      .expect(400);
    await t
      .http()
      .get(`/api/session-types/slots-type/slots?from=2026-02-30&to=2026-03-01`)
      .expect(400);
    await t.http().get(`/api/session-types/nope/slots?from=${day}&to=${day}`).expect(404);
  });
});
