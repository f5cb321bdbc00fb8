import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';

/**
 * A member's program overview used to hold a transaction's connection while asking the pool for
 * a second one: more simultaneous requests than pooled connections (10 here) then waited on each
 * other forever, and every request of the instance that needed the database hung with them.
 */
describe('Program pages under concurrency', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ workers: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 30 simultaneous overview and step requests of one member (more than the pool has connections)', async () => {
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    const member = await signup(t, 'busy-member@example.com', 'Busy Member');
    await t
      .http()
      .post('/api/program/enrollments/grant')
      .set({ authorization: `Bearer ${coach}` })
      .send({ email: 'busy-member@example.com' })
      .expect(201);
    const paths = Array.from({ length: 30 }, (_, i) =>
      i % 2 ? '/api/me/program' : '/api/me/program/steps/1',
    );
    const statuses = await Promise.all(
      paths.map((p) =>
        t
          .http()
          .get(p)
          .set({ authorization: `Bearer ${member}` })
          .then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(paths.map(() => 200));
    const page = await t
      .http()
      .get('/program/steps')
      .set('cookie', `mend_session=${member}`)
      .expect(200);
    expect(page.text).toContain('Your 12 Steps');
  }, 30_000);
});
