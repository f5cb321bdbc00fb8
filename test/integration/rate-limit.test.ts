import { RateLimitService } from '../../src/common/rate-limit/rate-limit.service';
import { startTestApp, TestApp } from '../support/app';
import { awayFromWindowEdge } from '../support/windows';

describe('Rate limits kept in PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' }, workers: false });
    b = await startTestApp({
      databaseUrl: a.databaseUrl,
      env: { RATE_LIMIT_PER_MINUTE: '5' },
      workers: false,
      seed: false,
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('counts requests across two app instances on one database', async () => {
    await awayFromWindowEdge(60_000);
    const limitA = a.app.get(RateLimitService);
    const limitB = b.app.get(RateLimitService);
    await Promise.all([
      limitA.consume('signup', '10.0.0.1'),
      limitA.consume('signup', '10.0.0.1'),
      limitB.consume('signup', '10.0.0.1'),
    ]);
    await limitB.consume('signup', '10.0.0.1');
    await limitA.consume('signup', '10.0.0.1');
    await expect(limitB.consume('signup', '10.0.0.1')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    await expect(limitA.consume('signup', '10.0.0.2')).resolves.toBeUndefined();
  });

  it('answers 429 over HTTP once the signup limit is passed', async () => {
    await awayFromWindowEdge(60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await (i % 2 ? a : b)
        .http()
        .post('/api/auth/signup')
        .send({ email: `p${i}@example.com`, password: 'long-enough-pw', name: 'P' });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(5);
    expect(statuses[statuses.length - 1]).toBe(429);
  });
});
