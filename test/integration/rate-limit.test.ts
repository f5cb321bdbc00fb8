import { RateLimitRepository } from '../../src/common/rate-limit/rate-limit.repository';
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

  it('a generous limit is still exact on one instance when 300 requests race for 200 places', async () => {
    await awayFromWindowEdge(60_000);
    const limit = a.app.get(RateLimitService);
    await limit.consume('booking', '10.0.1.1', 200); // this instance now knows the window
    const results = await Promise.allSettled(
      Array.from({ length: 299 }, () => limit.consume('booking', '10.0.1.1', 200)),
    );
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(199);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'RATE_LIMITED' });
    }
  });

  it('far below a generous limit, hits are added in batches and none is lost', async () => {
    await awayFromWindowEdge(60_000);
    const limit = a.app.get(RateLimitService);
    const repo = a.app.get(RateLimitRepository);
    const calls = jest.spyOn(repo, 'addHits');
    try {
      for (let i = 0; i < 150; i++) await limit.consume('booking', '10.0.1.2', 1000);
      await limit.flush();
      // One exact statement to learn the window, then batches: far fewer than one per hit.
      expect(calls.mock.calls.length).toBeLessThan(20);
    } finally {
      calls.mockRestore();
    }
    const [{ count }]: { count: number }[] = await a.dataSource.query(
      `SELECT sum(count)::int AS count FROM rate_limit_counters WHERE key = 'booking:10.0.1.2'`,
    );
    expect(count).toBe(150);
    // The other instance sees them: 850 more are allowed there, not 1 000.
    const other = b.app.get(RateLimitService);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 900 }, () => other.consume('booking', '10.0.1.2', 1000)),
    );
    const allowed = outcomes.filter((r) => r.status === 'fulfilled').length;
    expect(allowed).toBe(850);
  });
});
