import { Clock } from '../../src/common/clock';
import { BookingJobsService } from '../../src/bookings/booking-jobs.service';
import { COACH_EMAIL, signup, startTestApp, TestApp } from '../support/app';
import { linkIn, MailCatcher } from '../support/mail-catcher';
import {
  bookingBody,
  dayFromNow,
  londonZoneName,
  openSlots,
  setUpCoach,
} from '../support/scheduling';

const unfold = (ics: string) => ics.replace(/\r\n /g, '');

// Jest's per-project testTimeout is not applied to a single-file run; these tests start apps and race.
jest.setTimeout(60_000);

describe('Bookings API: book → mail with invite → reschedule → cancel', () => {
  let t: TestApp;
  let coach: string;
  const mail = new MailCatcher();
  const day = dayFromNow(5);

  beforeAll(async () => {
    const mailUrl = await mail.start();
    t = await startTestApp({ env: { MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '100000' } });
    coach = await setUpCoach(t, 'talk', { name: 'Talk, with care', location: 'Video call' });
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  it('walks the whole journey as a client with only the mailed link', async () => {
    const [first, second] = await openSlots(t, 'talk', day);
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', first.start, 'Journey@Example.com', { notes: 'First time' }))
      .expect(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      start: first.start,
      end: first.end,
      sessionType: 'talk',
      name: 'Sam Rivera',
      email: 'journey@example.com',
      timeZone: 'Europe/London',
      price: 0,
      currency: 'usd',
      manageUrl: expect.stringMatching(/\/bookings\/manage\?token=[\w-]{40,}$/),
    });
    const id = res.body.id as string;
    const token = new URL(res.body.manageUrl).searchParams.get('token')!;
    const [row] = await t.dataSource.query(`SELECT manage_token_hash FROM bookings WHERE id = $1`, [
      id,
    ]);
    expect(row.manage_token_hash).not.toContain(token);

    // Confirmation to the client (times in her zone, the invite, the manage link) and a notice to the coach.
    const confirmation = await mail.waitFor(
      (m) => m.to.includes('journey@example.com') && /^Booked/.test(m.subject),
    );
    expect(linkIn(confirmation, '/bookings/manage?token=')).toBe(res.body.manageUrl);
    // Her zone's name at that time: GMT in winter, BST in summer.
    expect(confirmation.text).toMatch(
      new RegExp(`at \\d{1,2}:\\d{2} ${londonZoneName(first.start)}\\b`),
    );
    const invite = confirmation.attachments.find((a) => /calendar/.test(a.contentType));
    expect(invite).toBeDefined();
    const ics = unfold(invite!.content);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:booking-${id}@mend`);
    expect(ics).toContain('SEQUENCE:0');
    expect(ics).toContain(`DTSTART:${first.start.replace(/[-:]/g, '').replace('.000', '')}`);
    expect(ics).toContain('SUMMARY:Talk\\, with care with');
    await mail.waitFor(
      (m) => m.to.includes(COACH_EMAIL) && /^New booking: Sam Rivera/.test(m.subject),
    );

    // Viewing: by token, by the coach; never with a wrong or missing token.
    const viewed = await t.http().get(`/api/bookings/${id}?token=${token}`).expect(200);
    expect(viewed.body.id).toBe(id);
    await t.http().get(`/api/bookings/${id}`).set('authorization', `Bearer ${coach}`).expect(200);
    await t.http().get(`/api/bookings/${id}?token=${token}x`).expect(404);
    await t.http().get(`/api/bookings/${id}`).expect(404);
    const stranger = await signup(t, 'stranger@example.com');
    await t
      .http()
      .get(`/api/bookings/${id}`)
      .set('authorization', `Bearer ${stranger}`)
      .expect(404);
    await t
      .http()
      .post(`/api/bookings/${id}/cancel`)
      .set('authorization', `Bearer ${stranger}`)
      .send({})
      .expect(404);
    await t
      .http()
      .post(`/api/bookings/${id}/reschedule`)
      .send({ start: second.start, token: 'wrong' })
      .expect(404);
    const icsRes = await t.http().get(`/api/bookings/${id}/ics?token=${token}`).expect(200);
    expect(icsRes.headers['content-type']).toMatch(/^text\/calendar/);

    // Reschedule by token: one transaction, SEQUENCE rises, both are told.
    const moved = await t
      .http()
      .post(`/api/bookings/${id}/reschedule`)
      .send({ start: second.start, token })
      .expect(200);
    expect(moved.body).toMatchObject({ id, start: second.start, status: 'confirmed' });
    const movedMail = await mail.waitFor(
      (m) => m.to.includes('journey@example.com') && /^Moved/.test(m.subject),
    );
    expect(unfold(movedMail.attachments[0].content)).toContain('SEQUENCE:1');
    await mail.waitFor((m) => m.to.includes(COACH_EMAIL) && /^Rescheduled/.test(m.subject));
    // The old slot is free again; the new one is not.
    const after = (await openSlots(t, 'talk', day)).map((s) => s.start);
    expect(after).toContain(first.start);
    expect(after).not.toContain(second.start);

    // Cancel: METHOD:CANCEL to both, no refund for a free session.
    const cancelled = await t
      .http()
      .post(`/api/bookings/${id}/cancel`)
      .send({ token, reason: 'Something came up' })
      .expect(200);
    expect(cancelled.body).toEqual({
      status: 'cancelled',
      refund: { status: 'none', amount: 0, currency: null },
    });
    const cancelMail = await mail.waitFor(
      (m) => m.to.includes('journey@example.com') && /^Cancelled/.test(m.subject),
    );
    const cancelIcs = unfold(cancelMail.attachments[0].content);
    expect(cancelIcs).toContain('METHOD:CANCEL');
    expect(cancelIcs).toContain('SEQUENCE:2');
    expect(cancelIcs).toContain(`UID:booking-${id}@mend`);
    await mail.waitFor((m) => m.to.includes(COACH_EMAIL) && /^Cancelled/.test(m.subject));
    expect((await openSlots(t, 'talk', day)).map((s) => s.start)).toContain(second.start);
    // Cancelling twice changes nothing; rescheduling a cancelled booking is refused.
    await t.http().post(`/api/bookings/${id}/cancel`).send({ token }).expect(200);
    await t
      .http()
      .post(`/api/bookings/${id}/reschedule`)
      .send({ start: first.start, token })
      .expect(409);
  });

  it('refuses starts that are not offered (422), taken ones (409), unknown types (404), bad bodies (400)', async () => {
    const slots = await openSlots(t, 'talk', day);
    const s = slots[slots.length - 1];
    const off = new Date(Date.parse(s.start) + 15 * 60_000).toISOString();
    const r422 = await t.http().post('/api/bookings').send(bookingBody('talk', off)).expect(422);
    expect(r422.body.code).toBe('SLOT_UNAVAILABLE');
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', `${day}T20:00:00Z`))
      .expect(422);
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', s.start, 'a@example.com'))
      .expect(201);
    const taken = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', s.start, 'b@example.com'))
      .expect(409);
    expect(taken.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'SLOT_TAKEN' });
    await t.http().post('/api/bookings').send(bookingBody('nope', s.start)).expect(404);
    const bad = await t
      .http()
      .post('/api/bookings')
      .send({
        sessionType: 'talk',
        start: 'tomorrow',
        name: '',
        email: 'x',
        timeZone: 'UTC',
        admin: true,
      })
      .expect(400);
    expect(Object.keys(bad.body.details).sort()).toEqual(['admin', 'email', 'name', 'start']);
    const zone = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', s.start, 'c@example.com', { timeZone: 'Moon/Base' }))
      .expect(400);
    expect(zone.body.details.timeZone).toBeDefined();
  });

  it('honours Idempotency-Key: a replay returns the same booking, another body → 422', async () => {
    const [s] = await openSlots(t, 'talk', dayFromNow(6));
    const body = bookingBody('talk', s.start, 'idem@example.com');
    const a = await t
      .http()
      .post('/api/bookings')
      .set('idempotency-key', 'key-1')
      .send(body)
      .expect(201);
    const b = await t
      .http()
      .post('/api/bookings')
      .set('idempotency-key', 'key-1')
      .send(body)
      .expect(201);
    expect(b.body).toEqual(a.body);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM bookings WHERE client_email = 'idem@example.com'`,
    );
    expect(count).toBe(1);
    const other = await t
      .http()
      .post('/api/bookings')
      .set('idempotency-key', 'key-1')
      .send({ ...body, name: 'Someone Else' })
      .expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it('lists bookings for the coach (filters) and for the signed-in client', async () => {
    const token = await signup(t, 'member@example.com', 'Mem Ber');
    const [s] = await openSlots(t, 'talk', dayFromNow(7));
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', s.start, 'member@example.com'))
      .expect(201);
    const mine = await t
      .http()
      .get('/api/me/bookings')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(mine.body).toHaveLength(1);
    expect(mine.body[0]).toMatchObject({ start: s.start, email: 'member@example.com' });
    expect(mine.body[0].manageUrl).toBeUndefined();
    // Her own session is enough to manage it.
    await t
      .http()
      .get(`/api/bookings/${mine.body[0].id}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    const all = await t
      .http()
      .get(`/api/bookings?from=${dayFromNow(7)}T00:00:00Z&status=confirmed`)
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(all.body.map((b: { id: string }) => b.id)).toContain(mine.body[0].id);
    await t.http().get('/api/bookings').set('authorization', `Bearer ${token}`).expect(403);
    await t
      .http()
      .get('/api/bookings?status=weird')
      .set('authorization', `Bearer ${coach}`)
      .expect(400);
    await t.http().get('/api/me/bookings').expect(401);
  });

  it('stops a client from rescheduling inside the notice; the coach still can', async () => {
    const soon = dayFromNow(1);
    const [near] = await openSlots(t, 'talk', soon);
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', near.start, 'late@example.com'))
      .expect(201);
    const token = new URL(res.body.manageUrl).searchParams.get('token')!;
    const target = (await openSlots(t, 'talk', dayFromNow(8)))[0];
    t.app.get(Clock).advance(Date.parse(near.start) - Date.now() - 3_600_000); // one hour before
    try {
      const late = await t
        .http()
        .post(`/api/bookings/${res.body.id}/reschedule`)
        .send({ start: target.start, token })
        .expect(409);
      expect(late.body.code).toBe('TOO_LATE_TO_RESCHEDULE');
      await t
        .http()
        .post(`/api/bookings/${res.body.id}/reschedule`)
        .set('authorization', `Bearer ${coach}`)
        .send({ start: target.start })
        .expect(200);
    } finally {
      t.app.get(Clock).reset();
    }
  });

  it('sends the 24-hour reminder once', async () => {
    const [s] = await openSlots(t, 'talk', dayFromNow(3));
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', s.start, 'remind@example.com'))
      .expect(201);
    const jobs = t.app.get(BookingJobsService);
    const clock = t.app.get(Clock);
    clock.advance(Date.parse(s.start) - Date.now() - 23 * 3_600_000);
    try {
      const [first, second] = await Promise.all([jobs.sendDueReminders(), jobs.sendDueReminders()]);
      expect(first + second).toBeGreaterThanOrEqual(1);
      expect(await jobs.sendDueReminders()).toBe(0);
      const rows = await t.dataSource.query(
        `SELECT subject, text FROM mail_outbox WHERE kind = 'booking_reminder' AND to_address = 'remind@example.com'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].subject).toMatch(/^Tomorrow/);
      expect(rows[0].text).toContain(res.body.manageUrl);
    } finally {
      clock.reset();
    }
  });

  it('serves the coach calendar feed behind a rotatable token', async () => {
    const first = await t
      .http()
      .post('/api/coach/calendar-feed/rotate')
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    const path = new URL(first.body.url).pathname;
    const feed = await t.http().get(path).expect(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(unfold(feed.text)).toContain('METHOD:PUBLISH');
    expect(feed.text).toMatch(/BEGIN:VEVENT/);
    const second = await t
      .http()
      .post('/api/coach/calendar-feed/rotate')
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    await t.http().get(path).expect(404);
    await t.http().get(new URL(second.body.url).pathname).expect(200);
    await t.http().get('/calendar/not-a-token.ics').expect(404);
  });

  it('a reschedule onto a taken time is 409 SLOT_TAKEN and leaves the booking where it was', async () => {
    const [a, b] = await openSlots(t, 'talk', dayFromNow(11));
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', a.start, 'first@example.com'))
      .expect(201);
    const mine = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('talk', b.start, 'second@example.com'))
      .expect(201);
    const token = new URL(mine.body.manageUrl).searchParams.get('token')!;
    const res = await t
      .http()
      .post(`/api/bookings/${mine.body.id}/reschedule`)
      .send({ start: a.start, token })
      .expect(409);
    expect(res.body.code).toBe('SLOT_TAKEN');
    const after = await t.http().get(`/api/bookings/${mine.body.id}?token=${token}`).expect(200);
    expect(after.body.start).toBe(b.start);
    const off = await t
      .http()
      .post(`/api/bookings/${mine.body.id}/reschedule`)
      .send({ start: `${dayFromNow(11)}T03:00:00Z`, token })
      .expect(422);
    expect(off.body.code).toBe('SLOT_UNAVAILABLE');
  });

  it('serves the booking pages without JavaScript: tz parameter, coach zone by default, CSRF on forms, 404 for bad tokens', async () => {
    const list = await t.http().get('/book').expect(200);
    expect(list.text).toContain('href="/book/talk"');
    // The demo seed's session types.
    expect(list.text).toContain('Discovery call');
    expect(list.text).toContain('$95.00');
    const day = dayFromNow(12);
    const coachZone = await t.http().get(`/book/talk?from=${day}`).expect(200);
    // The coach's zone is UTC (a bare abbreviation): shown as a place with the same clock.
    expect(coachZone.text).toContain('<option value="Atlantic/Reykjavik" selected>Reykjavik (GMT)');
    expect(coachZone.text).not.toContain('UTC');
    expect(coachZone.text).toContain('>9:00<');
    const kolkata = await t.http().get(`/book/talk?tz=Asia/Kolkata&from=${day}`).expect(200);
    expect(kolkata.text).toContain('<option value="Asia/Kolkata" selected>');
    expect(kolkata.text).toContain('>14:30<');
    const us = await t
      .http()
      .get(`/book/talk?tz=Asia/Kolkata&from=${day}`)
      .set('accept-language', 'en-US,en;q=0.9')
      .expect(200);
    expect(us.text).toContain('2:30 PM');
    await t.http().get('/book/no-such-type').expect(404);
    const [s] = await openSlots(t, 'talk', day);
    await t
      .http()
      .post('/book/talk')
      .type('form')
      .send({ start: s.start, timeZone: 'UTC', name: 'No Csrf', email: 'nocsrf@example.com' })
      .expect(403);
    const manage = await t.http().get('/bookings/manage?token=not-a-real-token').expect(404);
    expect(manage.text).not.toContain('Your session');
  });
});
