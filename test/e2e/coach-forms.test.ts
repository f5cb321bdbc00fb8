import { COACH_EMAIL, pageForm, signup, startTestApp, TestApp } from '../support/app';
import { getAs, postForm, submitAs, summaryLinks } from '../support/forms';
import { setUpCoach } from '../support/scheduling';

/**
 * The coach's page forms through the one form helper: a refused form comes back with the input
 * kept, a summary at the top linking to each field, and one plain sentence beside each field;
 * a service's refusal (a taken web address, overlapping hours) lands on the field it concerns.
 */
describe('Coach forms: plain errors, input kept, success that links to what changed', () => {
  let t: TestApp;
  let coach: string;

  beforeAll(async () => {
    t = await startTestApp();
    coach = await setUpCoach(t, 'existing-type');
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (path: string, form: string, fields: Record<string, string>, status: number) =>
    submitAs(t, coach, path, form, fields, status);
  const typeForm = (fields: Record<string, string>, status: number) =>
    post('/coach/session-types', '/coach/session-types', fields, status);
  const availabilityForm = (fields: Record<string, string>, status: number) =>
    post('/coach/availability', '/coach/availability', fields, status);
  const api = () => ({ authorization: `Bearer ${coach}` });

  it('refuses a bad session type with a summary linking to each field, in plain words, keeping the input', async () => {
    const res = await typeForm(
      {
        name: 'Deep dive',
        slug: 'Deep Dive!' + 'x'.repeat(90),
        durationMinutes: '999',
        price: '12.345',
        currency: 'usd',
        minimumNoticeHours: 'soon',
        slotIntervalMinutes: '30',
        bookingWindowDays: '60',
      },
      400,
    );
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('autofocus');
    const links = summaryLinks(res.text);
    expect(links.map((l) => l[0])).toEqual([
      '#st-slug',
      '#st-durationMinutes',
      '#st-price',
      '#st-minimumNoticeHours',
    ]);
    expect(res.text).toContain(
      'Use lower-case letters, digits and hyphens for the web address (at most 80)',
    );
    expect(res.text).toContain('Choose a length between 5 and 480 minutes.');
    expect(res.text).toContain('Enter at most 2 decimal places');
    // No validator jargon, and every message sits beside its field (aria-describedby → the message's id).
    expect(res.text).not.toMatch(
      /must be shorter than or equal|must not be greater than|durationMinutes must/,
    );
    expect(res.text).toMatch(
      /id="st-slug"[^>]*aria-invalid="true" aria-describedby="st-slug-error"/,
    );
    expect(res.text).toContain('id="st-slug-error"');
    // Input kept.
    expect(res.text).toContain('value="Deep dive"');
    expect(res.text).toContain('value="12.345"');
    expect(res.text).toContain('value="soon"');
    const types = (await t.http().get('/api/session-types').set(api()).expect(200)).body;
    expect(types.map((x: { name: string }) => x.name)).not.toContain('Deep dive');
  });

  it('makes the web address from the name, defaults to 24 h notice and 30-minute steps, and links to the booking page', async () => {
    const res = await typeForm(
      {
        name: 'Deep Dive: Éclair',
        slug: '',
        durationMinutes: '50',
        price: '150',
        currency: 'eur',
        minimumNoticeHours: '',
        slotIntervalMinutes: '30',
        bookingWindowDays: '60',
        description: '',
        location: '',
        bufferBeforeMinutes: '',
        bufferAfterMinutes: '',
      },
      303,
    );
    expect(res.headers.location).toBe('/coach/session-types?created=deep-dive-eclair');
    const type = (await t.http().get('/api/session-types').set(api()).expect(200)).body.find(
      (x: { slug: string }) => x.slug === 'deep-dive-eclair',
    );
    expect(type).toMatchObject({
      price: 15000,
      currency: 'eur',
      minimumNoticeMinutes: 1440,
      slotIntervalMinutes: 30,
      durationMinutes: 50,
    });
    const page = await getAs(t, coach, res.headers.location);
    expect(page.text).toMatch(
      /“Deep Dive: Éclair” is ready\. Clients book it at <a href="\/book\/deep-dive-eclair">/,
    );
    // The new-type form offers a currency list and preselects the safe defaults.
    expect(page.text).toMatch(/<select id="st-currency" name="currency"/);
    expect(page.text).toMatch(/<option value="30" selected>Every 30 minutes<\/option>/);
    expect(page.text).toMatch(/id="st-minimumNoticeHours"[^>]*value="24"/);
  });

  it('puts a taken web address on the web-address field', async () => {
    const res = await typeForm(
      {
        name: 'Again',
        slug: 'existing-type',
        durationMinutes: '30',
        price: '0',
        currency: 'usd',
        minimumNoticeHours: '24',
        slotIntervalMinutes: 'duration',
        bookingWindowDays: '30',
      },
      409,
    );
    expect(summaryLinks(res.text)).toEqual([
      ['#st-slug', 'Another session type already uses this web address: choose another.'],
    ]);
    expect(res.text).toContain('id="st-slug-error"');
  });

  it('refuses a currency that is not in the list', async () => {
    const res = await typeForm(
      {
        name: 'Odd',
        slug: 'odd',
        durationMinutes: '30',
        price: '5',
        currency: 'xyz',
        minimumNoticeHours: '24',
        slotIntervalMinutes: '15',
        bookingWindowDays: '30',
      },
      400,
    );
    expect(summaryLinks(res.text)).toEqual([['#st-currency', 'Pick a currency from the list.']]);
  });

  it('saves weekly hours from time pickers, refuses a fixed-offset zone, and maps overlapping hours to the day', async () => {
    const est = await availabilityForm(
      { timeZone: 'EST', 'day1-start-0': '09:00', 'day1-end-0': '17:00' },
      400,
    );
    expect(summaryLinks(est.text)[0][0]).toBe('#timeZone');
    expect(est.text).toContain('a fixed offset such as EST has no daylight saving');

    const overlap = await availabilityForm(
      {
        timeZone: 'Europe/London',
        'day1-start-0': '09:00',
        'day1-end-0': '12:00',
        'day1-start-1': '11:00',
        'day1-end-1': '13:00',
      },
      400,
    );
    expect(summaryLinks(overlap.text)).toEqual([
      ['#day1-start-0', 'Monday’s hours overlap: make each one end before the next starts.'],
    ]);
    expect(overlap.text).toMatch(/id="day1-start-1"[^>]*value="11:00"/);

    const backwards = await availabilityForm(
      { timeZone: 'Europe/London', 'day3-start-0': '15:00', 'day3-end-0': '10:00' },
      400,
    );
    expect(summaryLinks(backwards.text)).toEqual([
      ['#day3-end-0', 'Wednesday: the end must be after the start (00:00 means midnight).'],
    ]);

    // "Add hours" reloads with one more row and saves nothing.
    const added = await availabilityForm(
      { timeZone: 'Europe/London', 'day2-start-0': '09:00', 'day2-end-0': '12:00', add: '2' },
      200,
    );
    expect(added.text).toContain('id="day2-start-1"');
    expect((await t.http().get('/api/availability').set(api()).expect(200)).body.timeZone).toBe(
      'UTC',
    );

    const ok = await availabilityForm(
      {
        timeZone: 'Europe/London',
        'day1-start-0': '09:00',
        'day1-end-0': '12:00',
        'day1-start-1': '13:00',
        'day1-end-1': '00:00',
        'day2-start-0': '',
        'day2-end-0': '',
      },
      303,
    );
    expect(ok.headers.location).toBe('/coach/availability?saved=1');
    const a = (await t.http().get('/api/availability').set(api()).expect(200)).body;
    expect(a).toMatchObject({
      timeZone: 'Europe/London',
      weekly: [
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 1, start: '13:00', end: '24:00' },
      ],
    });
    const page = await getAs(t, coach, ok.headers.location);
    expect(page.text).toContain('<a href="/book">See your open times as clients do</a>');
    expect(page.text).toMatch(
      // London's offset now: GMT in winter, GMT+1 in summer.
      /<option value="Europe\/London" selected>London \(GMT(\+0|\+1)?\)<\/option>/,
    );
    expect(page.text).not.toContain('value="EST"');
  });

  it('takes days off with date pickers (whole days in her zone) and different hours on a date, in one place', async () => {
    const bad = await post(
      '/coach/time-off',
      '/coach/time-off',
      { from: '2030-07-10', until: '2030-07-08' },
      400,
    );
    expect(summaryLinks(bad.text)).toEqual([
      ['#until', 'The last day off must be on or after the first.'],
    ]);
    expect(bad.text).toContain('value="2030-07-10"');

    await post(
      '/coach/time-off',
      '/coach/time-off',
      { from: '2030-07-08', until: '2030-07-10', reason: 'Summer' },
      303,
    );
    const off = (await t.http().get('/api/time-off').set(api()).expect(200)).body;
    // London is on summer time (UTC+1) in July: midnight local is 23:00 UTC the day before.
    expect(off).toContainEqual(
      expect.objectContaining({
        start: '2030-07-07T23:00:00.000Z',
        end: '2030-07-10T23:00:00.000Z',
        reason: 'Summer',
      }),
    );

    const badHours = await post(
      '/coach/time-off/hours',
      '/coach/time-off',
      { date: '2030-12-24', start: '14:00', end: '10:00' },
      400,
    );
    expect(summaryLinks(badHours.text)[0][0]).toBe('#override-end');
    await post(
      '/coach/time-off/hours',
      '/coach/time-off',
      { date: '2030-12-24', start: '10:00', end: '12:00' },
      303,
    );
    const a = (await t.http().get('/api/availability').set(api()).expect(200)).body;
    expect(a.overrides).toEqual([
      { date: '2030-12-24', intervals: [{ start: '10:00', end: '12:00' }] },
    ]);
    expect(a.weekly.length).toBe(2); // weekly hours untouched

    const page = await getAs(t, coach, '/coach/time-off');
    expect(page.text).toContain('Only 10:00–12:00 (instead of the weekly hours)');
    expect(page.text).toMatch(/Monday 8 July to Wednesday 10 July 2030/);
    await postForm(
      t,
      '/coach/time-off/hours/2030-12-24/delete',
      await pageForm(t, '/coach/time-off', coach),
      {},
    ).expect(303);
    expect((await t.http().get('/api/availability').set(api()).expect(200)).body.overrides).toEqual(
      [],
    );
  });

  it('settings: plain errors and a summary', async () => {
    const res = await post(
      '/coach/settings',
      '/coach/settings',
      { displayName: '', cancellationNoticeHours: '9999', maxSessionsPerDay: '0' },
      400,
    );
    expect(summaryLinks(res.text)).toEqual([
      ['#displayName', 'Write your name as clients should see it (at most 120 characters).'],
      ['#cancellationNoticeHours', 'Cancellation notice can be 0 to 720 hours (30 days).'],
      ['#maxSessionsPerDay', 'Choose 1 to 100 sessions a day, or leave it empty for no limit.'],
    ]);
    expect(res.text).toContain('value="9999"');
  });

  it('the dashboard asks her name at the first visit, then counts her day', async () => {
    const first = await getAs(t, coach, '/coach');
    expect(first.text).toContain('What name should clients see?');
    const saved = await post('/coach/name', '/coach', { displayName: 'Dana Reyes' }, 303);
    expect(saved.headers.location).toBe('/coach?name=saved');
    const after = await getAs(t, coach, '/coach?name=saved');
    expect(after.text).not.toContain('What name should clients see?');
    expect(after.text).toContain('Thank you, Dana Reyes.');
    expect(after.text).toMatch(
      /<span class="count">0<\/span> <span class="label">sessions today<\/span>/,
    );
    expect(after.text).toMatch(
      /<span class="count">0<\/span> <span class="label">comments waiting<\/span>/,
    );
    expect(
      (await t.http().get('/api/coach/settings').set(api()).expect(200)).body.displayName,
    ).toBe('Dana Reyes');
  });

  it('the outbox shows the links in mails as links (http(s) only, escaped)', async () => {
    await t.http().post('/api/auth/password-reset').send({ email: COACH_EMAIL }).expect(202);
    // The reset request is a background job (the answer's timing says nothing about accounts),
    // so its mail reaches the outbox a moment later: look until it is there.
    const link = /<a href="http:\/\/[^"]+password-reset[^"]*">http:\/\/[^<]+<\/a>/;
    let text = '';
    for (let i = 0; i < 100 && !link.test(text); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const page = await getAs(t, coach, '/coach/outbox');
      text = page.text;
    }
    expect(text).toMatch(link);
  });
  it('the program editor uses the same helper: a currency list, plain errors, a link to the public page', async () => {
    const bad = await post(
      '/coach/program',
      '/coach/program',
      { title: '', price: '1.234', currency: 'xyz', dripDays: '400', description: 'Kept' },
      400,
    );
    expect(summaryLinks(bad.text).map((l) => l[0])).toEqual([
      '#title',
      '#price',
      '#currency',
      '#dripDays',
    ]);
    expect(bad.text).toContain('Pick a currency from the list.');
    expect(bad.text).toContain('>Kept</textarea>');
    await post(
      '/coach/program',
      '/coach/program',
      {
        title: 'The Humble Pie 12 Steps',
        price: '199',
        currency: 'gbp',
        dripDays: '7',
        description: '',
      },
      303,
    );
    const page = await getAs(t, coach, '/coach/program?saved=1');
    expect(page.text).toContain('<a href="/program">See the program page as visitors do</a>');
    expect(page.text).toMatch(/<option value="gbp" selected>/);
  });

  it('publishing a post says so and links to it', async () => {
    const created = await t
      .http()
      .post('/api/posts')
      .set(api())
      .send({ title: 'Small mercies', body: 'Hello.' })
      .expect(201);
    const res = await post(
      `/coach/posts/${created.body.id}/publish`,
      `/coach/posts/${created.body.id}`,
      {},
      303,
    );
    const page = await getAs(t, coach, res.headers.location);
    expect(page.text).toMatch(
      /<p class="notice" role="status">Published\. <a href="\/blog\/small-mercies">View the post<\/a><\/p>/,
    );
  });

  it('as an attacker: no CSRF token, a client, or markup in a name changes nothing and injects nothing', async () => {
    const client = await signup(t, 'not-the-coach@example.com');
    // Without the form's CSRF token.
    await t
      .http()
      .post('/coach/name')
      .set('cookie', `mend_session=${coach}`)
      .type('form')
      .send({ displayName: 'Mallory' })
      .expect(403);
    await t
      .http()
      .post('/coach/time-off/hours')
      .set('cookie', `mend_session=${coach}`)
      .type('form')
      .send({ date: '2030-01-01', start: '09:00', end: '10:00' })
      .expect(403);
    // A client with a valid token of their own.
    const clientForm = await pageForm(t, '/account', client);
    for (const path of [
      '/coach/name',
      '/coach/availability',
      '/coach/time-off',
      '/coach/time-off/hours',
      '/coach/session-types',
      '/coach/settings',
    ]) {
      await postForm(t, path, clientForm, { displayName: 'Mallory', timeZone: 'UTC' }).expect(403);
    }
    expect(
      (await t.http().get('/api/coach/settings').set(api()).expect(200)).body.displayName,
    ).not.toBe('Mallory');
    // Markup in what she types comes back escaped: in the form, the summary and the success notice.
    const evil = '<img src=x onerror=alert(1)>';
    const bad = await typeForm(
      { name: evil, slug: 'evil', durationMinutes: '0', currency: 'usd' },
      400,
    );
    expect(bad.text).not.toContain(evil);
    expect(bad.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const ok = await typeForm(
      {
        name: evil,
        slug: '',
        durationMinutes: '30',
        price: '0',
        currency: 'usd',
        minimumNoticeHours: '24',
        slotIntervalMinutes: '30',
        bookingWindowDays: '30',
      },
      303,
    );
    expect(ok.headers.location).toBe('/coach/session-types?created=img-src-x-onerror-alert-1');
    const page = await getAs(t, coach, ok.headers.location);
    expect(page.text).not.toContain(evil);
    // Removing a date that has no override, or a made-up one, leaves her hours as they were.
    const before = (await t.http().get('/api/availability').set(api()).expect(200)).body;
    const form = await pageForm(t, '/coach/time-off', coach);
    await postForm(t, '/coach/time-off/hours/not-a-date/delete', form, {}).expect(303);
    expect((await t.http().get('/api/availability').set(api()).expect(200)).body).toEqual(before);
  });
});
