import { Clock } from '../../src/common/clock';
import { startTestApp, TestApp } from '../support/app';
import {
  bookingBody,
  dayFromNow,
  londonZoneName,
  openSlots,
  setUpCoach,
} from '../support/scheduling';

/**
 * The manage page offers only what its POSTs accept: no preselected time, only times outside the
 * notice window, a cancel confirmation that states the refund, and inside the window the coach's
 * contact instead of buttons.
 */
describe('Manage page: nothing offered is refused', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    const coach = await setUpCoach(t, 'manage-talk', { name: 'Manage talk' });
    await t
      .http()
      .put('/api/coach/settings')
      .set('authorization', `Bearer ${coach}`)
      .send({ displayName: 'Dana', cancellationNoticeHours: 24, maxSessionsPerDay: null })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function book(
    day: string,
    email: string,
  ): Promise<{ id: string; token: string; start: string }> {
    const [slot] = await openSlots(t, 'manage-talk', day);
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('manage-talk', slot.start, email))
      .expect(201);
    return {
      id: res.body.id,
      token: new URL(res.body.manageUrl).searchParams.get('token')!,
      start: slot.start,
    };
  }

  async function page(path: string): Promise<{ text: string; csrf: string; cookie: string[] }> {
    const res = await t.http().get(path).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1] ?? '';
    const setCookie = res.headers['set-cookie'];
    return {
      text: res.text,
      csrf,
      cookie: Array.isArray(setCookie) ? setCookie : [String(setCookie)],
    };
  }

  const status = async (id: string) =>
    (
      (await t.dataSource.query(`SELECT status, start_at FROM bookings WHERE id = $1`, [id])) as {
        status: string;
        start_at: Date;
      }[]
    )[0];

  it('offers only times outside the notice window, none preselected, and moving to one of them works', async () => {
    // The app's clock at noon UTC today, whatever the hour the suite runs at: tomorrow's 09:00–17:00
    // times then fall on both sides of the 24-hour notice window.
    const clock = t.app.get(Clock);
    clock.advance(Date.parse(`${dayFromNow(0)}T12:00:00Z`) - Date.now());
    try {
      await offersOnlyOutsideTheWindow(clock);
    } finally {
      clock.reset();
    }
  });

  async function offersOnlyOutsideTheWindow(clock: Clock): Promise<void> {
    const b = await book(dayFromNow(5), 'mover@example.com');
    const manage = await page(`/bookings/manage?token=${b.token}&date=${dayFromNow(1)}`);
    // Times are buttons of one form (one tap = that time), never a preselected <select>.
    expect(manage.text).not.toContain('<select id="start"');
    expect(manage.text).not.toMatch(/<option[^>]*selected[^>]*>[^<]*(AM|PM|:)/);
    const offered = [...manage.text.matchAll(/name="start" value="([^"]+)"/g)].map((m) => m[1]);
    expect(offered.length).toBeGreaterThan(0);
    const earliest = clock.now().getTime() + 24 * 3_600_000;
    for (const start of offered)
      expect(Date.parse(start)).toBeGreaterThanOrEqual(earliest - 60_000);
    // Tomorrow was asked for: its times inside the window are not offered at all.
    const tomorrowSlots = await openSlots(t, 'manage-talk', dayFromNow(1));
    const inside = tomorrowSlots.filter((s) => Date.parse(s.start) < earliest);
    expect(inside.length).toBeGreaterThan(0);
    for (const s of inside) expect(offered).not.toContain(s.start);
    // Pick one it offered: it is not refused.
    const target = offered[offered.length - 1];
    const moved = await t
      .http()
      .post('/bookings/manage/reschedule')
      .set('Cookie', manage.cookie)
      .type('form')
      .send({ _csrf: manage.csrf, token: b.token, start: target })
      .expect(303);
    expect(moved.headers.location).toContain('done=moved');
    expect((await status(b.id)).start_at.toISOString()).toBe(new Date(target).toISOString());
  }

  it('cancelling asks once, states what is refunded, and only the confirmation cancels', async () => {
    const b = await book(dayFromNow(6), 'canceller@example.com');
    const manage = await page(`/bookings/manage?token=${b.token}`);
    // The manage page itself has no cancelling form, only the way to the confirmation.
    expect(manage.text).not.toContain('action="/bookings/manage/cancel"');
    expect(manage.text).toContain(`/bookings/manage?token=${b.token}&amp;step=cancel`);
    const confirm = await page(`/bookings/manage?token=${b.token}&step=cancel`);
    expect(confirm.text).toContain('Cancel your Manage talk?');
    expect(confirm.text).toContain('This session is free, so there is nothing to refund.');
    expect(confirm.text).toContain('action="/bookings/manage/cancel"');
    expect((await status(b.id)).status).toBe('confirmed');
    const done = await t
      .http()
      .post('/bookings/manage/cancel')
      .set('Cookie', confirm.cookie)
      .type('form')
      .send({ _csrf: confirm.csrf, token: b.token, refund: 'none' })
      .expect(303);
    expect(done.headers.location).toContain('done=cancelled');
    expect((await status(b.id)).status).toBe('cancelled');
  });

  it('inside the notice window: says how to reach the coach and offers no buttons; a forged cancel changes nothing', async () => {
    const contactEmail = (await t.http().get('/api/site').expect(200)).body.contactEmail as string;
    expect(contactEmail).toContain('@');
    const b = await book(dayFromNow(4), 'late@example.com');
    // Three hours before the session starts: inside the 24-hour window.
    t.app.get(Clock).advance(Date.parse(b.start) - Date.now() - 3 * 3_600_000);
    try {
      const manage = await page(`/bookings/manage?token=${b.token}`);
      expect(manage.text).toContain('so it can no longer be moved or cancelled online');
      expect(manage.text).toContain(`mailto:${contactEmail}`);
      expect(manage.text).not.toContain('action="/bookings/manage/reschedule"');
      expect(manage.text).not.toContain('action="/bookings/manage/cancel"');
      expect(manage.text).not.toContain('step=cancel');
      // The confirmation step isn't offered either.
      const confirm = await page(`/bookings/manage?token=${b.token}&step=cancel`);
      expect(confirm.text).not.toContain('action="/bookings/manage/cancel"');
      // A valid CSRF pair from another form: the refusal is the rule's, not the CSRF check's.
      const other = await page('/login');
      const forged = await t
        .http()
        .post('/bookings/manage/cancel')
        .set('Cookie', other.cookie)
        .type('form')
        .send({ _csrf: other.csrf, token: b.token, refund: 'none' })
        .expect(409);
      expect(forged.text).toContain('nothing was cancelled');
      expect((await status(b.id)).status).toBe('confirmed');
    } finally {
      t.app.get(Clock).reset();
    }
  });

  it("the You're booked page speaks the reader's zone and language, never UTC", async () => {
    const b = await book(dayFromNow(7), 'reader@example.com');
    const path = `/bookings/manage?token=${b.token}&booked=1`;
    const gb = await t.http().get(path).expect(200);
    expect(gb.text).toContain("You're booked");
    expect(gb.text).toContain('Change or cancel this booking');
    // London's name at that time: GMT in winter, BST in summer.
    expect(gb.text).toMatch(
      new RegExp(`\\d{1,2} [A-Z][a-z]+ \\d{4} at \\d{2}:\\d{2} ${londonZoneName(b.start)}\\b`),
    );
    const us = await t.http().get(path).set('accept-language', 'en-US,en;q=0.9').expect(200);
    expect(us.text).toMatch(/[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2} (AM|PM) GMT/);
    for (const page of [gb.text, us.text]) expect(page).not.toContain('UTC');
    // Somebody else's token learns nothing.
    await t.http().get('/bookings/manage?token=not-a-token&booked=1').expect(404);
    await t.http().get('/bookings/manage?token=not-a-token&step=cancel').expect(404);
  });
});
