import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  pageForm,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/** The inputs an outside probe saw answered with 500: each now gets a 4xx (and the app stays well). */
describe('Inputs that used to answer 500', () => {
  let t: TestApp;
  let coach: string;
  let manage: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    coach = await setUpCoach(t, 'call', { durationMinutes: 30 });
    const [slot] = await openSlots(t, 'call', dayFromNow(3));
    const booked = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('call', slot.start))
      .expect(201);
    manage = {
      id: booked.body.id,
      token: new URL(booked.body.manageUrl).searchParams.get('token')!,
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  const asCoach = (req: ReturnType<ReturnType<TestApp['http']>['get']>) =>
    req.set('authorization', `Bearer ${coach}`);

  it('refuses null in optional fields of session-type, post and program updates with 400', async () => {
    const [type] = await t.dataSource.query(`SELECT id FROM session_types WHERE slug = 'call'`);
    for (const field of ['name', 'description', 'price', 'location', 'active']) {
      const res = await asCoach(t.http().patch(`/api/session-types/${type.id}`))
        .send({ [field]: null })
        .expect(400);
      expect(res.body.details[field]).toBeDefined();
    }
    const [post] = await t.dataSource.query(`SELECT id FROM posts LIMIT 1`);
    for (const field of ['title', 'body', 'excerpt'])
      await asCoach(t.http().patch(`/api/posts/${post.id}`))
        .send({ [field]: null })
        .expect(400);
    for (const field of ['title', 'description', 'price', 'currency', 'dripDays'])
      await asCoach(t.http().patch('/api/program'))
        .send({ [field]: null })
        .expect(400);
    // Where the schema says nullable, null still means "none".
    await asCoach(t.http().patch(`/api/session-types/${type.id}`))
      .send({ slotIntervalMinutes: null })
      .expect(200);
  });

  it('refuses lists inside the availability lists ([[[]]]) with 400', async () => {
    const res = await asCoach(t.http().put('/api/availability'))
      .send({ timeZone: 'UTC', weekly: [], overrides: [[[]]] })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    await asCoach(t.http().put('/api/availability'))
      .send({ timeZone: 'UTC', weekly: [[]], overrides: [] })
      .expect(400);
  });

  it('answers a purchase of a program without a price with 422, not 500', async () => {
    await asCoach(t.http().patch('/api/program')).send({ price: 0 }).expect(200);
    const member = await signup(t, 'free@example.com');
    const res = await t
      .http()
      .post('/api/program/enrollments')
      .set('authorization', `Bearer ${member}`)
      .expect(422);
    expect(res.body.code).toBe('UNPROCESSABLE');
  });

  it('refuses an unreadable start on reschedule, by the API and by the manage page', async () => {
    await t
      .http()
      .post(`/api/bookings/${manage.id}/reschedule`)
      .send({ token: manage.token, start: 'NaN' })
      .expect(400);
    const { cookie, csrf } = await pageForm(t, `/bookings/manage?token=${manage.token}`);
    const res = await t
      .http()
      .post('/bookings/manage/reschedule')
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, token: manage.token, start: 'NaN' });
    expect(res.status).toBe(400);
  });

  it('answers impossible dates on booking pages without a 500', async () => {
    for (const path of [
      '/book/call?from=2026-02-30',
      '/book/call/details?start=2026-02-30T10:00:00Z',
      `/bookings/manage?token=${manage.token}&from=2026-02-30`,
    ]) {
      const res = await t.http().get(path);
      expect(`${path} ${res.status}`).toBe(`${path} ${res.status < 500 ? res.status : 'not 5xx'}`);
    }
  });

  it('answers odd next= values on the sign-in page and form without a 500', async () => {
    for (const next of ['%01', '%E2%80%A8', '%C3%A9', '%0D%0ASet-Cookie:x=1']) {
      const page = await t.http().get(`/login?next=${next}`);
      expect(page.status).toBe(200);
      const { cookie, csrf } = await pageForm(t, '/login');
      const res = await t
        .http()
        .post('/login')
        .set('cookie', cookie)
        .type('form')
        .send(
          `_csrf=${encodeURIComponent(csrf)}&email=${encodeURIComponent(COACH_EMAIL)}&password=${encodeURIComponent(COACH_PASSWORD)}&next=${next}`,
        );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/coach');
    }
    await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
  });

  it('keeps a CRLF in a quoted e-mail local part inside its ATTENDEE line of the coach feed', async () => {
    const [, slot] = await openSlots(t, 'call', dayFromNow(4));
    const email = '"x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nX"@example.com';
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('call', slot.start, email));
    const rotated = await asCoach(t.http().post('/api/coach/calendar-feed/rotate')).expect(200);
    const feed = await t.http().get(new URL(rotated.body.url).pathname).expect(200);
    const lines = feed.text.replace(/\r\n[ \t]/g, '').split('\r\n');
    const bookings: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM bookings WHERE status = 'confirmed'`,
    );
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(bookings[0].n);
    expect(lines.some((l) => l.startsWith('SUMMARY:injected'))).toBe(false);
    expect([201, 400]).toContain(res.status);
  });

  it('answers /calendar/<token> without .ics with 404', async () => {
    const rotated = await asCoach(t.http().post('/api/coach/calendar-feed/rotate')).expect(200);
    const path = new URL(rotated.body.url).pathname;
    await t.http().get(path).expect(200);
    await t
      .http()
      .get(path.replace(/\.ics$/, ''))
      .expect(404);
  });
});
