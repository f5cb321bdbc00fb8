import { randomBytes } from 'node:crypto';
import { Clock } from '../../src/common/clock';
import { EnrollmentsService } from '../../src/program/enrollments.service';
import { ProgressService } from '../../src/program/progress.service';
import { signup, startTestApp, startWithCoach, TestApp } from '../support/app';
import { completeStep, getStep, putReflection } from '../support/program';

const DAY = 86_400_000;

describe('The 12 Steps program API', () => {
  let t: TestApp;
  let coach: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** A signed-up member whom the coach enrolls (no payment needed). */
  async function member(email: string): Promise<{ token: string; enrollmentId: string }> {
    const token = await signup(t, email, email.split('@')[0]);
    const res = await t
      .http()
      .post('/api/program/enrollments/grant')
      .set(bearer(coach))
      .send({ email })
      .expect(201);
    return { token, enrollmentId: res.body.id as string };
  }
  const outbox = (to: string, kind: string): Promise<{ subject: string; text: string }[]> =>
    t.dataSource.query(
      `SELECT subject, text FROM mail_outbox WHERE to_address = $1 AND kind = $2 ORDER BY created_at`,
      [to, kind],
    );
  const setDrip = (dripDays: number) =>
    t.http().patch('/api/program').set(bearer(coach)).send({ dripDays }).expect(200);

  beforeAll(async () => {
    ({ t, coach } = await startWithCoach({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
  });
  afterAll(async () => t?.close());

  it('shows the program publicly: price, drip, and 12 steps without their member-only bodies', async () => {
    const res = await t.http().get('/api/program').expect(200);
    expect(res.body).toMatchObject({
      title: 'The Humble Pie 12 Steps',
      price: 19900,
      currency: 'usd',
      dripDays: 7,
    });
    expect(res.body.steps).toHaveLength(12);
    expect(res.body.steps[0]).toEqual({
      number: 1,
      title: expect.any(String),
      summary: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/Take your time/);
  });

  it('lets the coach edit the program and steps, with validation, 404 outside 1..12 and 403 to others', async () => {
    const patched = await t
      .http()
      .patch('/api/program')
      .set(bearer(coach))
      .send({ price: 25000, title: 'The Humble Pie 12 Steps' })
      .expect(200);
    expect(patched.body.price).toBe(25000);
    const bad = await t
      .http()
      .patch('/api/program')
      .set(bearer(coach))
      .send({ price: -1, currency: 'USD', dripDays: 1.5, extra: 1 })
      .expect(400);
    expect(Object.keys(bad.body.details).sort()).toEqual([
      'currency',
      'dripDays',
      'extra',
      'price',
    ]);
    const body = {
      title: 'Arriving',
      summary: 'Start here.',
      body: '# Welcome\n\n<script>alert(1)</script>Be gentle.',
      prompts: ['How are you?', '  '],
    };
    const put = await t
      .http()
      .put('/api/program/steps/1')
      .set(bearer(coach))
      .send(body)
      .expect(200);
    expect(put.body).toMatchObject({ number: 1, title: 'Arriving', prompts: ['How are you?'] });
    for (const n of ['0', '13', 'abc', '1.5', '-1']) {
      const res = await t
        .http()
        .put(`/api/program/steps/${n}`)
        .set(bearer(coach))
        .send(body)
        .expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    await t.http().put('/api/program/steps/2').set(bearer(coach)).send({ title: 'x' }).expect(400);
    const client = await signup(t, 'not-coach@example.com');
    await t.http().patch('/api/program').set(bearer(client)).send({ price: 1 }).expect(403);
    await t.http().put('/api/program/steps/1').set(bearer(client)).send(body).expect(403);
    await t.http().get('/api/program/enrollments').set(bearer(client)).expect(403);
    await t.http().patch('/api/program').send({ price: 1 }).expect(401);
  });

  it('answers 403 NOT_ENROLLED to people who are not members, 401 without a token', async () => {
    const token = await signup(t, 'visitor@example.com');
    expect((await t.http().get('/api/me/program').set(bearer(token)).expect(403)).body.code).toBe(
      'NOT_ENROLLED',
    );
    expect((await getStep(t, token, 1).expect(403)).body.code).toBe('NOT_ENROLLED');
    await putReflection(t, token, 1, { text: 'x' }).expect(403);
    await t.http().get('/api/me/program').expect(401);
  });

  it('grants an enrollment: step 1 opens, a welcome mail goes out, and a second grant is 409 ALREADY_ENROLLED', async () => {
    const { token } = await member('granted@example.com');
    const me = await t.http().get('/api/me/program').set(bearer(token)).expect(200);
    // Progress sharing is asked, not assumed: off until the member turns it on.
    expect(me.body.enrollment).toMatchObject({
      status: 'active',
      shareProgress: false,
      shareProgressChosen: false,
    });
    expect(me.body.progress).toEqual({ completed: 0, total: 12 });
    expect(me.body.steps.map((s: { status: string }) => s.status)).toEqual([
      'available',
      ...Array(11).fill('locked'),
    ]);
    expect(await outbox('granted@example.com', 'program_welcome')).toHaveLength(1);
    const again = await t
      .http()
      .post('/api/program/enrollments/grant')
      .set(bearer(coach))
      .send({ email: 'GRANTED@example.com' })
      .expect(409);
    expect(again.body.code).toBe('ALREADY_ENROLLED');
    await t
      .http()
      .post('/api/program/enrollments/grant')
      .set(bearer(coach))
      .send({ email: 'nope' })
      .expect(400);
  });

  it('grants to an email with no account: a passwordless account and a set-password link', async () => {
    await t
      .http()
      .post('/api/program/enrollments/grant')
      .set(bearer(coach))
      .send({ email: 'new-member@example.com' })
      .expect(201);
    const [user] = await t.dataSource.query(
      `SELECT password_hash, role FROM users WHERE email = 'new-member@example.com'`,
    );
    expect(user).toEqual({ password_hash: null, role: 'client' });
    const [link] = await outbox('new-member@example.com', 'password_set');
    expect(link.text).toMatch(/enrolled you in The Humble Pie 12 Steps/);
    expect(link.text).toMatch(/\/password-reset\?token=/);
  });

  it('walks step 1 → reflect → complete → step 2 after the drip wait, with one gentle mail', async () => {
    await setDrip(7);
    const { token } = await member('walker@example.com');
    const locked = await getStep(t, token, 2).expect(403);
    expect(locked.body.code).toBe('STEP_LOCKED');
    await putReflection(t, token, 2, { text: 'too early' }).expect(403);
    await completeStep(t, token, 2).expect(403);

    const step1 = await getStep(t, token, 1).expect(200);
    expect(step1.body).toMatchObject({
      number: 1,
      status: 'available',
      reflection: null,
      prompts: ['How are you?'],
    });
    expect(step1.body.bodyHtml).toContain('<h2>Welcome</h2>');
    expect(step1.body.bodyHtml).not.toContain('<script');

    const saved = await putReflection(t, token, 1, { text: 'I am arriving, slowly.' }).expect(200);
    expect(saved.body).toMatchObject({ text: 'I am arriving, slowly.', sharedWithCoach: false });
    const tooLong = await putReflection(t, token, 1, { text: 'x'.repeat(20_001) }).expect(400);
    expect(tooLong.body.details.text).toBeDefined();
    await putReflection(t, token, 1, { text: 'x'.repeat(20_000) }).expect(200);
    await putReflection(t, token, 1, {
      text: 'I am arriving, slowly.',
      sharedWithCoach: 'yes',
    }).expect(400);
    await putReflection(t, token, 1, { text: 'I am arriving, slowly.' }).expect(200);
    await putReflection(t, token, 13, { text: 'x' }).expect(404);

    const done = await completeStep(t, token, 1).expect(200);
    expect(done.body.progress).toEqual({ completed: 1, total: 12 });
    expect(done.body.steps[0].status).toBe('completed');
    const step2 = done.body.steps[1];
    expect(step2.status).toBe('locked');
    const opened1 = new Date(done.body.steps[0].availableAt).getTime();
    expect(new Date(step2.availableAt).getTime()).toBe(opened1 + 7 * DAY);
    // Completing twice changes nothing.
    const twice = await completeStep(t, token, 1).expect(200);
    expect(twice.body.steps[0].completedAt).toBe(done.body.steps[0].completedAt);

    const clock = t.app.get(Clock);
    clock.advance(7 * DAY - 60_000);
    await getStep(t, token, 2).expect(403);
    expect(await t.app.get(ProgressService).notifyOpenedSteps()).toBe(0);
    clock.advance(60_000);
    const progress = t.app.get(ProgressService);
    expect(await progress.notifyOpenedSteps()).toBe(1);
    expect(await progress.notifyOpenedSteps()).toBe(0);
    const mails = await outbox('walker@example.com', 'program_step_opened');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(/Step 2 .* is open/);
    expect(mails[0].text).not.toContain('arriving, slowly');
    const open = await getStep(t, token, 2).expect(200);
    expect(open.body.status).toBe('available');
    // The earlier reflection is still there, decrypted for its owner.
    const back = await getStep(t, token, 1).expect(200);
    expect(back.body.reflection).toMatchObject({
      text: 'I am arriving, slowly.',
      sharedWithCoach: false,
    });
  });

  it('opens the next step at once with dripDays 0, and never re-locks an open step when dripDays grows', async () => {
    await setDrip(0);
    const { token } = await member('quick@example.com');
    const done = await completeStep(t, token, 1).expect(200);
    expect(done.body.steps[1].status).toBe('available');
    await setDrip(30);
    const me = await t.http().get('/api/me/program').set(bearer(token)).expect(200);
    expect(me.body.steps.slice(0, 3).map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'available',
      'locked',
    ]);
    await getStep(t, token, 2).expect(200);
    await setDrip(7);
  });

  it('lets the coach open any step for one member', async () => {
    const { token, enrollmentId } = await member('unlocked@example.com');
    const other = await member('not-unlocked@example.com');
    await t
      .http()
      .post(`/api/program/enrollments/${enrollmentId}/unlock`)
      .set(bearer(coach))
      .send({ step: 5 })
      .expect(200);
    await getStep(t, token, 5).expect(200);
    await getStep(t, other.token, 5).expect(403);
    await t
      .http()
      .post(`/api/program/enrollments/${enrollmentId}/unlock`)
      .set(bearer(coach))
      .send({ step: 13 })
      .expect(400);
    await t
      .http()
      .post(`/api/program/enrollments/${enrollmentId}/unlock`)
      .set(bearer(token))
      .send({ step: 6 })
      .expect(403);
    await t
      .http()
      .post(`/api/program/enrollments/00000000-0000-4000-8000-000000000000/unlock`)
      .set(bearer(coach))
      .send({ step: 2 })
      .expect(404);
  });

  it('shows the coach only shared reflections, and progress only while the member shares it', async () => {
    const { token, enrollmentId } = await member('sharer@example.com');
    await putReflection(t, token, 1, { text: 'Just for me.' }).expect(200);
    const reflections = () =>
      t
        .http()
        .get(`/api/program/enrollments/${enrollmentId}/reflections`)
        .set(bearer(coach))
        .expect(200);
    expect((await reflections()).body).toEqual([]);
    await putReflection(t, token, 1, { text: 'You may read this.', sharedWithCoach: true }).expect(
      200,
    );
    expect((await reflections()).body).toEqual([
      { step: 1, text: 'You may read this.', updatedAt: expect.any(String) },
    ]);
    await putReflection(t, token, 1, { text: 'Private again.', sharedWithCoach: false }).expect(
      200,
    );
    expect((await reflections()).body).toEqual([]);

    await completeStep(t, token, 1).expect(200);
    const row = async () =>
      (
        (await t.http().get('/api/program/enrollments').set(bearer(coach)).expect(200)).body as {
          id: string;
          progress: unknown;
        }[]
      ).find((e) => e.id === enrollmentId);
    expect(await row()).toMatchObject({
      shareProgress: false,
      progress: null,
      member: { email: 'sharer@example.com' },
    });
    const on = await t
      .http()
      .patch('/api/me/program')
      .set(bearer(token))
      .send({ shareProgress: true })
      .expect(200);
    expect(on.body.enrollment).toMatchObject({ shareProgress: true, shareProgressChosen: true });
    expect(await row()).toMatchObject({
      shareProgress: true,
      progress: { completed: 1, total: 12 },
      member: { email: 'sharer@example.com' },
    });
    const off = await t
      .http()
      .patch('/api/me/program')
      .set(bearer(token))
      .send({ shareProgress: false })
      .expect(200);
    expect(off.body.enrollment.shareProgress).toBe(false);
    expect(await row()).toMatchObject({ shareProgress: false, progress: null });
    await t
      .http()
      .patch('/api/me/program')
      .set(bearer(token))
      .send({ shareProgress: 'no' })
      .expect(400);
    await t
      .http()
      .patch('/api/me/program')
      .set(bearer(token))
      .send({ shareProgress: true })
      .expect(200);
    expect((await row())?.progress).toEqual({ completed: 1, total: 12 });
    // Members can't read each other's or the coach's views.
    await t
      .http()
      .get(`/api/program/enrollments/${enrollmentId}/reflections`)
      .set(bearer(token))
      .expect(403);
    await t
      .http()
      .get(`/api/program/enrollments/not-a-uuid/reflections`)
      .set(bearer(coach))
      .expect(404);
  });

  it('ends access to step content on a refund; the member’s reflections stay theirs', async () => {
    const { token, enrollmentId } = await member('refunded@example.com');
    await putReflection(t, token, 1, { text: 'Mine to keep.' }).expect(200);
    await t.dataSource.transaction((m) =>
      t.app.get(EnrollmentsService).onRefunded(m, enrollmentId, 'payment-x'),
    );
    const step = await getStep(t, token, 1).expect(403);
    expect(step.body.code).toBe('NOT_ENROLLED');
    await putReflection(t, token, 1, { text: 'more' }).expect(403);
    const me = await t.http().get('/api/me/program').set(bearer(token)).expect(200);
    expect(me.body.enrollment.status).toBe('refunded');
    expect(me.body.steps.every((s: { status: string }) => s.status === 'locked')).toBe(true);
    const [user] = await t.dataSource.query(
      `SELECT id FROM users WHERE email = 'refunded@example.com'`,
    );
    expect(await t.app.get(ProgressService).reflectionsOf(user.id)).toEqual([
      expect.objectContaining({ step: 1, text: 'Mine to keep.' }),
    ]);
  });

  it('lets only the coach refund an enrollment', async () => {
    const { token, enrollmentId } = await member('refund-guard@example.com');
    await t
      .http()
      .post(`/api/program/enrollments/${enrollmentId}/refund`)
      .set(bearer(token))
      .expect(403);
    await t.http().post(`/api/program/enrollments/${enrollmentId}/refund`).expect(401);
    await t.http().post(`/api/program/enrollments/not-an-id/refund`).set(bearer(coach)).expect(404);
  });

  it('serves the member and coach pages with the right guards, and a form post never blanks a reflection', async () => {
    const { token } = await member('pages@example.com');
    const cookie = `mend_session=${token}`;
    await putReflection(t, token, 1, { text: 'Kept <b>safe</b>.' }).expect(200);
    const page = await t.http().get('/program/steps/1').set('cookie', cookie).expect(200);
    expect(page.text).toContain('Kept &lt;b&gt;safe&lt;/b&gt;.');
    expect(page.text).toContain('<strong>Only you.</strong>');
    expect(page.text).toContain('I want my coach to read this reflection');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const cookies = [
      cookie,
      ...([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]),
    ].join('; ');
    await t
      .http()
      .post('/program/steps/1')
      .set('cookie', cookies)
      .type('form')
      .send({ _csrf: csrf, sharedWithCoach: 'true' })
      .expect(303);
    const still = await getStep(t, token, 1).expect(200);
    expect(still.body.reflection).toMatchObject({
      text: 'Kept <b>safe</b>.',
      sharedWithCoach: false,
    });
    await t
      .http()
      .post('/program/steps/1')
      .set('cookie', cookies)
      .type('form')
      .send({ text: 'changed' })
      .expect(403);
    const saved = await t
      .http()
      .post('/program/steps/1')
      .set('cookie', cookies)
      .type('form')
      .send({ _csrf: csrf, text: 'From the form.', sharedWithCoach: 'false', action: 'save' })
      .expect(303);
    expect(saved.headers.location).toBe('/program/steps/1?saved=1');
    expect((await getStep(t, token, 1).expect(200)).body.reflection.text).toBe('From the form.');

    const locked = await t.http().get('/program/steps/2').set('cookie', cookie).expect(403);
    expect(locked.headers['content-type']).toMatch(/text\/html/);
    await t.http().get('/program/steps/13').set('cookie', cookie).expect(404);
    expect((await t.http().get('/program/steps').expect(303)).headers.location).toBe(
      '/login?next=%2Fprogram%2Fsteps',
    );
    await t.http().get('/coach/program').set('cookie', cookie).expect(403);
    await t.http().get('/coach/members').set('cookie', cookie).expect(403);
    const visitor = await signup(t, 'pages-visitor@example.com');
    expect(
      (await t.http().get('/program/steps').set('cookie', `mend_session=${visitor}`).expect(303))
        .headers.location,
    ).toBe('/program');
    const coachPage = await t
      .http()
      .get('/coach/members')
      .set('cookie', `mend_session=${coach}`)
      .expect(200);
    expect(coachPage.text).toContain('pages@example.com');
    expect(coachPage.text).not.toContain('From the form.');
  });

  it('documents the program routes in OpenAPI', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/program',
        '/api/program/steps/{n}',
        '/api/program/enrollments',
        '/api/program/enrollments/grant',
        '/api/program/enrollments/{id}/reflections',
        '/api/program/enrollments/{id}/unlock',
        '/api/me/program',
        '/api/me/program/steps/{n}',
        '/api/me/program/steps/{n}/reflection',
        '/api/me/program/steps/{n}/complete',
      ]),
    );
  });

  it('refuses to start with a different ENCRYPTION_KEY on the same database', async () => {
    await expect(
      startTestApp({
        databaseUrl: t.databaseUrl,
        env: { ENCRYPTION_KEY: randomBytes(32).toString('base64') },
      }),
    ).rejects.toThrow(/ENCRYPTION_KEY is not the key this database was encrypted with/);
    // The right key still starts (and reads what was written).
    const again = await startTestApp({ databaseUrl: t.databaseUrl });
    await again.close();
  });
});
