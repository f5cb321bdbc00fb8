import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  pageForm,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';
import { MailCatcher } from '../support/mail-catcher';

/** The practice's identity: the seed, the API, the coach's page, every page's head and the mail. */
describe('Site settings', () => {
  let t: TestApp;
  const mail = new MailCatcher();
  let coach: string;

  beforeAll(async () => {
    const mailUrl = await mail.start();
    t = await startTestApp({
      env: {
        RATE_LIMIT_PER_MINUTE: '1000',
        MAIL_URL: mailUrl,
        MAIL_FROM: 'Mend <hello@practice.test>',
      },
    });
    coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  it('starts as the fictional demo practice, not "Mend"', async () => {
    const site = (await t.http().get('/api/site').expect(200)).body;
    expect(site).toMatchObject({
      name: 'Steady Ground Coaching',
      coachName: 'Ruth Calder',
      photoUrl: null,
    });
    expect(site.footer).toMatch(/not therapy or crisis care/);
    const home = await t.http().get('/').expect(200);
    expect(home.text).toMatch(/<title>[^<]* · Steady Ground Coaching<\/title>/);
    expect(home.text).toContain('<a class="brand" href="/">Steady Ground Coaching</a>');
    expect(home.text).not.toMatch(/>Mend</);
  });

  it('lets only the coach change it, validates it, and every page, the feed and /about follow', async () => {
    const reader = await signup(t, 'site-reader@example.com');
    const body = {
      name: 'Still Water Practice',
      tagline: 'Slow is a speed too.',
      coachName: 'Ada Moss',
      bio: 'Hi, I’m Ada.',
      aboutMarkdown:
        '## My story\n\n<script>alert(1)</script><a href="javascript:alert(1)">x</a> Hello <em>there</em>.',
      footer: '',
      contactEmail: 'ada@still.test',
      links: [{ label: 'Newsletter', url: '/blog' }],
    };
    await t.http().put('/api/site').send(body).expect(401);
    await t.http().put('/api/site').auth(reader, { type: 'bearer' }).send(body).expect(403);
    const bad = await t
      .http()
      .put('/api/site')
      .auth(coach, { type: 'bearer' })
      .send({ ...body, name: '', links: [{ label: 'x', url: 'javascript:alert(1)' }] })
      .expect(400);
    expect(Object.keys(bad.body.details).sort()).toEqual(['links.0.url', 'name']);
    await t
      .http()
      .put('/api/site')
      .auth(coach, { type: 'bearer' })
      .send({ ...body, photoImageId: '6dcd9d6b-ecfb-453c-bdf6-84a554cb6f4e' })
      .expect(400);
    const injected = await t
      .http()
      .put('/api/site')
      .auth(coach, { type: 'bearer' })
      .send({ ...body, name: 'Evil\r\nBcc: x@y.test' })
      .expect(400);
    expect(injected.body.details.name).toEqual(['name must be one line of text']);
    const saved = (
      await t.http().put('/api/site').auth(coach, { type: 'bearer' }).send(body).expect(200)
    ).body;
    expect(saved.footer).toMatch(/crisis care/); // an empty footer falls back to the note

    const blog = await t.http().get('/blog').expect(200);
    expect(blog.text).toContain('<title>Writing · Still Water Practice</title>');
    expect(blog.text).toContain('href="mailto:ada@still.test"');
    const about = await t.http().get('/about').expect(200);
    expect(about.text).toContain('<h2>My story</h2>');
    expect(about.text).toContain('<em>there</em>');
    expect(about.text).not.toContain('<script>alert');
    expect(about.text).not.toContain('javascript:');
    const feed = await t.http().get('/feed.xml').expect(200);
    expect(feed.text).toContain('<title>Still Water Practice — writing</title>');
  });

  it('the coach page saves the same settings (with CSRF), and mail comes from and is signed by the practice', async () => {
    const { cookie, csrf } = await pageForm(t, '/coach/site', coach);
    await t
      .http()
      .post('/coach/site')
      .set('cookie', cookie)
      .field('name', 'No token')
      .field('coachName', 'X')
      .expect(403);
    await t
      .http()
      .post('/coach/site')
      .set('cookie', cookie)
      .field('_csrf', csrf)
      .field('name', 'Quiet Harbour')
      .field('coachName', 'Ada Moss')
      .field('tagline', 'Repair over perfection.')
      .field('linkLabel0', 'Book')
      .field('linkUrl0', '/book')
      .expect(303)
      .expect('location', '/coach/site?saved=1');
    expect((await t.http().get('/api/site').expect(200)).body).toMatchObject({
      name: 'Quiet Harbour',
      links: [{ label: 'Book', url: '/book' }],
    });

    await t.http().post('/api/auth/password-reset').send({ email: COACH_EMAIL }).expect(202);
    const sent = await mail.waitFor((m) => m.to.includes(COACH_EMAIL));
    expect(String(sent.raw)).toMatch(/^From: "?Quiet Harbour"? <hello@practice\.test>/m);
    expect(sent.text).toMatch(/— Ada Moss · Quiet Harbour\s*$/);
  });
});
