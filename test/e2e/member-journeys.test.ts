import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  pageForm,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';

/** A member's small journeys: completing a step is acknowledged, and their data reads as a page. */
describe('Member journeys', () => {
  let t: TestApp;
  let coach: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function member(email: string): Promise<string> {
    const token = await signup(t, email, 'Member <b>One</b>');
    await t
      .http()
      .post('/api/program/enrollments/grant')
      .set(bearer(coach))
      .send({ email })
      .expect(201);
    return token;
  }

  it('acknowledges a completed step and says when the next one opens (no UTC clock time)', async () => {
    await t.http().patch('/api/program').set(bearer(coach)).send({ dripDays: 3 }).expect(200);
    const token = await member('steps@example.com');
    const { cookie, csrf } = await pageForm(t, '/program/steps/1', token);
    const done = await t
      .http()
      .post('/program/steps/1')
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, text: 'A first reflection.', action: 'complete' })
      .expect(303);
    expect(done.headers.location).toBe('/program/steps?completed=1');
    const page = await t.http().get(done.headers.location).set('cookie', cookie).expect(200);
    expect(page.text).toContain('Step 1 is complete. Well done.');
    expect(page.text).toMatch(/Step 2 opens \d{1,2} \w+ \d{4}/);
    expect(page.text).not.toContain('UTC');
    // A made-up completion is not acknowledged.
    const fake = await t.http().get('/program/steps?completed=5').set('cookie', cookie).expect(200);
    expect(fake.text).not.toContain('is complete');
  });

  it('shows the export as a readable page, in the member’s zone, audited like the download', async () => {
    const token = await member('reader@example.com');
    await t
      .http()
      .patch('/api/me')
      .set(bearer(token))
      .send({ timeZone: 'Europe/London', preferredName: 'Rea <i>der</i>' })
      .expect(200);
    const before = (await t.http().get('/api/audit?limit=200').set(bearer(coach)).expect(200)).body
      .length;
    const page = await t
      .http()
      .get('/account/export')
      .set('cookie', `mend_session=${token}`)
      .expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('Your account');
    expect(page.text).toContain('The 12 Steps');
    expect(page.text).toContain('Rea &lt;i&gt;der&lt;/i&gt;');
    expect(page.text).not.toContain('<i>der</i>');
    expect(page.text).not.toContain('UTC');
    expect(page.text).toMatch(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2} (GMT|BST)/);
    expect(
      (await t.http().get('/api/audit?limit=200').set(bearer(coach)).expect(200)).body.length,
    ).toBe(before + 1);
    await t
      .http()
      .get('/account/export')
      .expect((res) => expect([302, 303, 401]).toContain(res.status));
  });

  it('keeps a reader on the post after subscribing, with the thank-you in the box; elsewhere a page says it', async () => {
    const sameSite = (path: string) =>
      t.http().post(path).set('sec-fetch-site', 'same-origin').type('form');
    const back = await sameSite('/newsletter/subscribe')
      .send({ email: 'stay@example.com', from: '/blog/some-post' })
      .expect(303);
    expect(back.headers.location).toBe('/blog/some-post#subscribed');
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM newsletter_subscribers WHERE email = 'stay@example.com'`,
    );
    expect(row.n).toBe(1);
    const blog = await t.http().get('/blog').expect(200);
    expect(blog.text).toContain('id="subscribed"');
    expect(blog.text).toContain('name="from" value="/blog"');
    // Anything but a path of the blog is no place to send a reader back to.
    for (const from of [
      '//evil.example/blog',
      'https://evil.example/blog',
      '/account',
      '/\\evil.example',
    ]) {
      const page = await sameSite('/newsletter/subscribe')
        .send({ email: 'stay2@example.com', from })
        .expect(200);
      expect(page.text).toContain('Check your email');
    }
  });

  it('returns a new member from sign-up to where she was (the program’s enroll button), and only to this site', async () => {
    const program = await t.http().get('/program').expect(200);
    expect(program.text).toContain('href="/signup?next=/program"');
    const { cookie, csrf } = await pageForm(t, '/signup?next=/program');
    const form = await t.http().get('/signup?next=/program').expect(200);
    expect(form.text).toContain('name="next" value="/program"');
    expect(form.text).toContain('href="/login?next=%2Fprogram"');
    const body = { _csrf: csrf, name: 'New Member', password: 'a-long-password' };
    const back = await t
      .http()
      .post('/signup')
      .set('cookie', cookie)
      .type('form')
      .send({ ...body, email: 'next@example.com', next: '/program' })
      .expect(303);
    expect(back.headers.location).toBe('/program');
    const { cookie: c2, csrf: t2 } = await pageForm(t, '/signup');
    const away = await t
      .http()
      .post('/signup')
      .set('cookie', c2)
      .type('form')
      .send({ ...body, _csrf: t2, email: 'away@example.com', next: '//evil.example/x' })
      .expect(303);
    expect(away.headers.location).toBe('/account');
  });
});
