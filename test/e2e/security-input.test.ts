import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  pageForm,
  startTestApp,
  TestApp,
} from '../support/app';

/** Hostile bodies, paths and queries: refused with 4xx before any DTO or query sees them. */
describe('Input limits and parsers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const json = (path: string, body: string) =>
    t.http().post(path).set('content-type', 'application/json').send(body);

  it('refuses a JSON object with 80 000 keys with 413 before validation, and the server stays responsive', async () => {
    const big = '{' + Array.from({ length: 80_000 }, (_, i) => `"k${i}":1`).join(',') + '}';
    const res = await json('/api/auth/login', big).expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    await t.http().get('/health').expect(200);
  });

  it('refuses deeply nested JSON with 400 (not 500) on any JSON route', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const path of ['/api/auth/login', '/api/bookings', '/api/newsletter/subscribe']) {
      const res = await json(path, deep).expect(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.body.message).toMatch(/nested too deeply/);
    }
    const inObject = `{"email":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`;
    await json('/api/auth/login', inObject).expect(400);
  });

  it('answers bodies over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await json(
      '/api/auth/login',
      JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1_100_000) }),
    ).expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses NUL and lone surrogates in JSON strings and keys, and invalid UTF-8 bytes, with 400', async () => {
    await json('/api/auth/login', '{"email":"a\\u0000@b.co","password":"xxxxxxxxxx"}').expect(400);
    await json(
      '/api/auth/signup',
      '{"email":"a@b.co","password":"xxxxxxxxxx","name":"\\ud800"}',
    ).expect(400);
    await json(
      '/api/auth/signup',
      '{"email":"a@b.co","password":"xxxxxxxxxx","na\\u0000me":"x"}',
    ).expect(400);
    const invalid = Buffer.concat([
      Buffer.from('{"email":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('@b.co","password":"xxxxxxxxxx"}'),
    ]);
    const res = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: invalid,
      });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/UTF-8/);
  });

  it('refuses NUL and invalid UTF-8 in paths and queries with 400', async () => {
    await t.http().get('/api/posts/a%00b').expect(400);
    await t.http().get('/book/a%00b').expect(400);
    await t.http().get('/api/posts?page=%00').expect(400);
    await t.http().get('/api/posts?page=%ff').expect(400);
    await t.http().get('/login?next=%ed%a0%80').expect(400);
  });

  it('refuses repeated query parameters with 400 instead of passing a list to a handler', async () => {
    await t.http().get('/password-reset?token=a&token=b').expect(400);
    await t.http().get('/bookings/manage?token=a&token=b').expect(400);
  });

  it('takes only application/json on the JSON API: urlencoded and text/plain get 415', async () => {
    const form = await t
      .http()
      .post('/api/bookings')
      .set('origin', 'https://evil.example')
      .type('form')
      .send({
        sessionType: 'x',
        start: '2030-01-01T10:00:00Z',
        name: 'A',
        email: 'a@b.co',
        timeZone: 'UTC',
      })
      .expect(415);
    expect(form.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await t
      .http()
      .post('/api/newsletter/subscribe')
      .set('content-type', 'text/plain')
      .send('{"email":"a@b.co"}')
      .expect(415);
  });

  it('refuses JSON bodies on page forms with 415, and repeated form fields with 400', async () => {
    const { cookie, csrf } = await pageForm(t, '/login');
    await t
      .http()
      .post('/login')
      .set('cookie', cookie)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ _csrf: csrf, email: COACH_EMAIL, password: COACH_PASSWORD }))
      .expect(415);
    await t
      .http()
      .post('/login')
      .set('cookie', cookie)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&email=a%40b.co&email=c%40d.co&password=x`)
      .expect(400);
    await t
      .http()
      .post('/login')
      .set('cookie', cookie)
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&email=a%00%40b.co&password=x`)
      .expect(400);
    // A well-formed form still signs in.
    await t
      .http()
      .post('/login')
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, email: COACH_EMAIL, password: COACH_PASSWORD })
      .expect(303);
  });

  it('still accepts ordinary JSON, including the coach API', async () => {
    const token = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    await t.http().get('/api/me').set('authorization', `Bearer ${token}`).expect(200);
  });
});
