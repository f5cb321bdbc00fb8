import { pageForm, startTestApp, TestApp } from '../support/app';
import { MailCatcher } from '../support/mail-catcher';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

jest.setTimeout(90_000);

/**
 * Booking pages and mails in a visitor's own words, without JavaScript, for a coach whose zone is
 * UTC and who never gave clients her name: times in the visitor's zone when known (`tz`, the
 * form's field, the zone picker's cookie), else the coach's zone as a place — never a bare "UTC";
 * the coach named naturally, never "with Coach"; the details form and the coach's client notes
 * refusing in plain words with a summary, keeping what was typed.
 */
describe('Booking pages and mails: the visitor’s zone and plain words', () => {
  let t: TestApp;
  let coach: string;
  const mail = new MailCatcher();
  const day = dayFromNow(9);

  beforeAll(async () => {
    const mailUrl = await mail.start();
    t = await startTestApp({ env: { MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '100000' } });
    coach = await setUpCoach(t, 'words', {
      name: 'Words call',
      intakeQuestions: [
        { id: 'hopes', label: 'What do you hope for?', kind: 'long_text', required: true },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  const noUtc = (text: string) => {
    expect(text).not.toMatch(/\bUTC\b/);
    expect(text).not.toMatch(/with Coach\b/);
  };

  /** A page form's POST with the cookie and CSRF token its page gave. */
  const poster =
    (form: { cookie: string; csrf: string }) => (path: string, body: Record<string, string>) =>
      t
        .http()
        .post(path)
        .set('cookie', form.cookie)
        .type('form')
        .send({ _csrf: form.csrf, ...body });

  it('shows the coach’s UTC as a place, remembers the zone the visitor picks in a cookie, and uses it without a tz parameter', async () => {
    const plain = await t.http().get(`/book/words?date=${day}`).expect(200);
    noUtc(plain.text);
    expect(plain.text).toContain('<option value="Atlantic/Reykjavik" selected>Reykjavik (GMT)');
    // The coach's zone is not the visitor's choice: nothing to remember.
    expect(String(plain.headers['set-cookie'] ?? '')).not.toContain('mend_tz');

    const picked = await t.http().get(`/book/words?tz=Asia/Tokyo&date=${day}`).expect(200);
    const cookie = ([] as string[])
      .concat(picked.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('mend_tz='));
    expect(cookie).toMatch(/^mend_tz=Asia(%2F|\/)Tokyo;.*HttpOnly/);
    // 09:00 UTC is 18:00 in Tokyo.
    expect(picked.text).toContain('>18:00<');

    const again = await t
      .http()
      .get(`/book/words?date=${day}`)
      .set('cookie', cookie!.split(';')[0])
      .expect(200);
    expect(again.text).toMatch(/<option value="Asia\/Tokyo" selected>Tokyo \(GMT\+9\)/);
    expect(again.text).toContain('>18:00<');
    noUtc(again.text);

    // A zone that is no zone in the cookie is ignored (the coach's, as a place).
    const forged = await t
      .http()
      .get(`/book/words?date=${day}`)
      .set('cookie', 'mend_tz=%3Cscript%3E')
      .expect(200);
    expect(forged.text).toContain('<option value="Atlantic/Reykjavik" selected>');
    expect(forged.text).not.toContain('<script>');
  });

  it('refuses a details form in plain words with a summary, keeps the input, then books with times in the visitor’s zone in page and mail', async () => {
    const [slot] = await openSlots(t, 'words', day);
    const path = `/book/words/details?start=${encodeURIComponent(slot.start)}`;
    const details = await t.http().get(path).expect(200);
    noUtc(details.text);
    expect(details.text).toContain('GMT');
    const post = poster(await pageForm(t, path));
    const bad = await post('/book/words', {
      start: slot.start,
      timeZone: 'Atlantic/Reykjavik',
      name: '',
      email: 'not-an-email',
      pronouns: 'they/them',
      notes: 'Kept note',
    }).expect(400);
    expect(bad.text).toMatch(/class="error-summary" role="alert"[^>]*autofocus/);
    const summary = [...bad.text.matchAll(/<li><a href="#([\w-]+)">([^<]+)<\/a><\/li>/g)].map(
      (m) => [m[1], m[2]],
    );
    expect(summary).toEqual([
      ['name', 'Write your name (at most 120 characters).'],
      ['email', 'Write your email address, like name@example.com.'],
    ]);
    expect(bad.text).toMatch(/id="email"[^>]*aria-invalid="true" aria-describedby="email-error"/);
    expect(bad.text).toContain('value="not-an-email"');
    expect(bad.text).toContain('value="they/them"');
    expect(bad.text).toContain('>Kept note</textarea>');
    expect(bad.text).not.toContain('must be');
    noUtc(bad.text);
    // The answers are checked by the service once the rest is right: in the same words.
    const unanswered = await post('/book/words', {
      start: slot.start,
      timeZone: 'Atlantic/Reykjavik',
      name: 'Nia',
      email: 'nia@example.com',
    }).expect(400);
    expect(unanswered.text).toContain(
      '<a href="#intake-hopes">Please answer “What do you hope for?” (at most 2 000 characters).</a>',
    );
    expect(unanswered.text).toMatch(
      /id="intake-hopes"[^>]*aria-invalid="true" aria-describedby="intake-hopes-error"/,
    );
    expect(unanswered.text).toContain('id="intake-hopes-error"');
    noUtc(unanswered.text);

    const ok = await post('/book/words', {
      start: slot.start,
      timeZone: 'America/New_York',
      name: 'Nia Visitor',
      email: 'nia@example.com',
      intake_hopes: 'Calm',
    }).expect(303);
    const location = ok.headers.location as string;
    expect(location).toMatch(/^\/bookings\/manage\?token=.*&booked=1$/);
    const [row] = await t.dataSource.query(
      `SELECT client_time_zone FROM bookings WHERE client_email = 'nia@example.com'`,
    );
    expect(row.client_time_zone).toBe('America/New_York');
    const booked = await t.http().get(location).expect(200);
    expect(booked.text).toContain("You're booked");
    expect(booked.text).toMatch(/at 04:00 GMT-5|at 05:00 GMT-4/);
    noUtc(booked.text);
    // No display name: the practice's name from the site settings, not the account's "Coach".
    expect(booked.text).toContain('Words call with Steady Ground Coaching');

    const confirmation = await mail.waitFor(
      (m) => m.to.includes('nia@example.com') && /^Booked/.test(m.subject),
    );
    noUtc(`${confirmation.subject}\n${confirmation.text}`);
    expect(confirmation.text).toContain('Words call with your coach is booked for');
    expect(confirmation.text).toMatch(/See you then,\nYour coach/);
  });

  it('shows a booking made in UTC through the API as a place on its manage page and in its mails', async () => {
    const [, slot] = await openSlots(t, 'words', day);
    const res = await t
      .http()
      .post('/api/bookings')
      .send(
        bookingBody('words', slot.start, 'api-utc@example.com', {
          timeZone: 'UTC',
          intake: { hopes: 'Rest' },
        }),
      )
      .expect(201);
    const url = new URL(res.body.manageUrl as string);
    const manage = await t
      .http()
      .get(url.pathname + url.search)
      .expect(200);
    noUtc(manage.text);
    expect(manage.text).toContain('GMT');
    const confirmation = await mail.waitFor(
      (m) => m.to.includes('api-utc@example.com') && /^Booked/.test(m.subject),
    );
    noUtc(`${confirmation.subject}\n${confirmation.text}`);
    expect(confirmation.text).toContain('GMT');
  });

  it('refuses an empty client note in plain words with a summary, and says when one is saved', async () => {
    const [client] = await t.dataSource.query(
      `SELECT id FROM users WHERE email = 'nia@example.com'`,
    );
    const path = `/coach/clients/${client.id}`;
    const form = await pageForm(t, path, coach);
    const post = poster(form);
    const bad = await post(`${path}/notes`, {
      text: '',
    }).expect(400);
    expect(bad.text).toMatch(/class="error-summary" role="alert"[^>]*autofocus/);
    expect(bad.text).toContain(
      '<a href="#note-text">Write the note first (at most 20 000 characters).</a>',
    );
    expect(bad.text).toMatch(
      /id="note-text"[^>]*aria-invalid="true" aria-describedby="note-text-error"/,
    );
    const long = 'x'.repeat(20_001);
    const tooLong = await post(`${path}/notes`, {
      text: long,
    }).expect(400);
    expect(tooLong.text).toContain(`>${long}</textarea>`);
    const ok = await post(`${path}/notes`, {
      text: 'First talk went well.',
    }).expect(303);
    expect(ok.headers.location).toBe(`${path}?saved=note#notes-h`);
    const after = await t.http().get(`${path}?saved=note`).set('cookie', form.cookie).expect(200);
    expect(after.text).toContain('Your note is saved. Only you can read it.');
    expect(after.text).toContain('First talk went well.');
    // Times in the coach's zone and words, money by its currency: decided by the view, not the template.
    expect(after.text).toContain('<td>Free</td>');
    expect(after.text).toMatch(/<time datetime="[^"]+">\d{1,2} \w{3,4} \d{4}, 0?9:00<\/time>/);
    expect(after.text).not.toMatch(/\bUTC\b/);
  });
});
