import { Client } from 'pg';
import { signup, startTestApp, TestApp } from '../support/app';
import { adminUrl } from '../support/pg-env';

describe('Operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('answers /health and /health/ready', async () => {
    await t.http().get('/health').expect(200, { status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('serves the OpenAPI document with the accounts routes', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/signup', '/api/auth/login', '/api/me']),
    );
    await t.http().get('/api/docs').expect(200);
  });

  it('sets security headers with a content security policy', async () => {
    const res = await t.http().get('/').expect(200);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown API routes with the JSON error shape and unknown pages with a friendly page', async () => {
    const api = await t.http().get('/api/nothing-here').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND' });
    const page = await t.http().get('/nothing-here').expect(404);
    expect(page.text).toMatch(/couldn’t find that page/);
  });

  it('refuses a page form without a CSRF token', async () => {
    const res = await t
      .http()
      .post('/login')
      .type('form')
      .send({ email: 'a@b.co', password: 'whatever-123' })
      .expect(403);
    expect(res.text).toMatch(/form has expired/);
  });

  it('survives the database dropping every connection: a clear answer, then service again', async () => {
    const token = await signup(t, 'drop@example.com');
    const dbName = (await t.dataSource.query('SELECT current_database() AS name'))[0]
      .name as string;
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      dbName,
    ]);
    await admin.end();
    const during = await t.http().get('/api/me').set('authorization', `Bearer ${token}`);
    expect([200, 503]).toContain(during.status);
    if (during.status === 503) expect(during.body.code).toBe('SERVICE_UNAVAILABLE');
    let after = 0;
    for (let i = 0; i < 20 && after !== 200; i++) {
      after = (await t.http().get('/api/me').set('authorization', `Bearer ${token}`)).status;
    }
    expect(after).toBe(200);
    await t.http().get('/health/ready').expect(200);
  });
});
