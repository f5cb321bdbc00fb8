import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COACH_EMAIL, COACH_PASSWORD, loginAs, startTestApp, TestApp } from '../support/app';

interface Problem {
  severity: 'error' | 'warn';
  rule: string;
  message: string;
  where: string;
}

/**
 * The OpenAPI document is complete enough to generate a typed client from: Redocly's recommended
 * rules find no error in it (summaries, security, 4xx answers, response schemas, unambiguous paths).
 */
describe('OpenAPI document', () => {
  let t: TestApp;
  let problems: Problem[];

  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const file = join(mkdtempSync(join(tmpdir(), 'mend-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const run = spawnSync(
      process.execPath,
      [join(__dirname, '../../scripts/lint-openapi.mjs'), file],
      { encoding: 'utf8' },
    );
    if (run.status !== 0 && run.status !== 1) throw new Error(`lint failed to run: ${run.stderr}`);
    problems = JSON.parse(run.stdout) as Problem[];
  });
  afterAll(async () => {
    await t?.close();
  });

  it('passes Redocly’s recommended lint with no error', () => {
    const errors = problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.rule} ${p.where}: ${p.message}`);
    expect(errors).toEqual([]);
  });

  it('says for every operation its summary, its security (public ones explicitly none) and its 4xx answers', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const ops = Object.entries(
      doc.paths as Record<
        string,
        Record<
          string,
          { summary?: string; security?: unknown[]; responses: Record<string, unknown> }
        >
      >,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ at: `${method} ${path}`, op })),
    );
    expect(ops.length).toBeGreaterThan(40);
    expect(
      ops
        .filter(
          ({ op }) =>
            !op.summary ||
            !Array.isArray(op.security) ||
            !Object.keys(op.responses).some((s) => s.startsWith('4')),
        )
        .map((o) => o.at),
    ).toEqual([]);
    expect(doc.paths['/api/availability'].put.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/availability'].put.responses['403']).toBeDefined();
    expect(doc.paths['/api/bookings'].post.security).toEqual([]);
  });

  it('names a post by id or slug under one path parameter, for every method (an id wins)', async () => {
    const coach = { authorization: `Bearer ${await loginAs(t, COACH_EMAIL, COACH_PASSWORD)}` };
    const made = (
      await t
        .http()
        .post('/api/posts')
        .set(coach)
        .send({ title: 'Named Twice', body: 'Hello.' })
        .expect(201)
    ).body;
    await t.http().post(`/api/posts/${made.slug}/publish`).set(coach).send({}).expect(200);
    expect((await t.http().get(`/api/posts/${made.id}`).expect(200)).body.slug).toBe('named-twice');
    expect(
      (
        await t
          .http()
          .patch(`/api/posts/${made.slug}`)
          .set(coach)
          .send({ title: 'Named Thrice' })
          .expect(200)
      ).body,
    ).toMatchObject({ id: made.id, title: 'Named Thrice' });
    // A post whose slug is another post's id: the id wins.
    const tricky = (
      await t
        .http()
        .post('/api/posts')
        .set(coach)
        .send({ title: 'Tricky', slug: made.id, body: 'x' })
        .expect(201)
    ).body;
    expect((await t.http().get(`/api/posts/${made.id}`).set(coach).expect(200)).body.id).toBe(
      made.id,
    );
    await t.http().delete(`/api/posts/${tricky.id}`).set(coach).expect(204);
    await t.http().get('/api/posts/no-such-post').expect(404);
    await t.http().patch('/api/posts/no-such-post').set(coach).send({ title: 'x' }).expect(404);
  });
});
