import { MailCatcher } from '../support/mail-catcher';
import { signup, startTestApp, TestApp } from '../support/app';
import { FakeStripe, send } from '../support/fake-stripe';
import { dayFromNow, openSlots, postBooking, setUpCoach } from '../support/scheduling';
import { eventually } from '../support/test-payable';

/** The coach's client records, and a person's export and erasure (SPEC: Clients and data rights). */
describe('Clients and data rights', () => {
  const fake = new FakeStripe();
  const mail = new MailCatcher();
  let t: TestApp;
  let coach: string;
  let slots: string[];
  let next = 0;
  const slot = () => slots[next++];

  beforeAll(async () => {
    await fake.start();
    const mailUrl = await mail.start();
    t = await startTestApp({
      env: { ...fake.env(), MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '100000' },
    });
    coach = await setUpCoach(t, 'free-call', { durationMinutes: 30 });
    const auth = `Bearer ${coach}`;
    await t
      .http()
      .post('/api/session-types')
      .set('authorization', auth)
      .send({
        name: 'Coaching session',
        slug: 'paid',
        durationMinutes: 60,
        price: 9500,
        currency: 'usd',
        minimumNoticeMinutes: 0,
        bookingWindowDays: 365,
        intakeQuestions: [
          {
            id: 'what-brings-you',
            label: 'What brings you here?',
            kind: 'long_text',
            required: false,
          },
        ],
      })
      .expect(201);
    slots = [
      ...(await openSlots(t, 'paid', dayFromNow(5))),
      ...(await openSlots(t, 'paid', dayFromNow(6))),
    ].map((s) => s.start);
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
    await mail.stop();
  });

  /** DELETE /api/me as `token`: erase the account, confirmed by `body.password`. */
  const eraseMe = (token: string, body: object) =>
    t.http().delete('/api/me').set('authorization', `Bearer ${token}`).send(body);

  async function payFor(bookingId: string): Promise<void> {
    const [p] = await t.dataSource.query(
      `SELECT checkout_session_id FROM payments WHERE reference_id = $1`,
      [bookingId],
    );
    await send(t.http, fake.completeSession(p.checkout_session_id)).expect(200);
    await eventually(
      async () =>
        (await t.dataSource.query(`SELECT status FROM bookings WHERE id = $1`, [bookingId]))[0]
          .status === 'confirmed',
    );
  }

  it('lists clients for the coach only, with search; 404 for anything not a client', async () => {
    await postBooking(t, 'free-call', slot(), 'guest.one@example.com', {
      name: 'Guest One',
    }).expect(201);
    const client = await signup(t, 'member.two@example.com', 'Member Two');
    const all = await t
      .http()
      .get('/api/clients')
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(all.body.map((c: { email: string }) => c.email)).toEqual(
      expect.arrayContaining(['guest.one@example.com', 'member.two@example.com']),
    );
    expect(
      all.body.find((c: { email: string }) => c.email === 'guest.one@example.com').hasAccount,
    ).toBe(false);
    const found = await t
      .http()
      .get('/api/clients?search=GUEST')
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(found.body.map((c: { email: string }) => c.email)).toEqual(['guest.one@example.com']);
    const wild = await t
      .http()
      .get('/api/clients?search=%25')
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(wild.body).toEqual([]);
    await t.http().get('/api/clients').set('authorization', `Bearer ${client}`).expect(403);
    await t.http().get('/api/clients').expect(401);
    const coachRow = (await t.dataSource.query(`SELECT id FROM users WHERE role = 'coach'`))[0];
    await t
      .http()
      .get(`/api/clients/${coachRow.id}`)
      .set('authorization', `Bearer ${coach}`)
      .expect(404);
    await t
      .http()
      .get('/api/clients/not-a-uuid')
      .set('authorization', `Bearer ${coach}`)
      .expect(404);
  });

  it('shows the coach a client with bookings, intake answers and payments', async () => {
    const start = slot();
    const booked = await postBooking(t, 'paid', start, 'ana@example.com', {
      name: 'Ana',
      intake: { 'what-brings-you': 'Burnout' },
    }).expect(201);
    await payFor(booked.body.id);
    const [{ id }] = await t.dataSource.query(
      `SELECT id FROM users WHERE email = 'ana@example.com'`,
    );
    const res = await t
      .http()
      .get(`/api/clients/${id}`)
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(res.body.profile).toMatchObject({
      name: 'Ana',
      email: 'ana@example.com',
      hasAccount: false,
    });
    expect(res.body.bookings).toEqual([
      expect.objectContaining({ id: booked.body.id, status: 'confirmed', start, price: 9500 }),
    ]);
    expect(res.body.intake).toEqual([
      { bookingId: booked.body.id, start, answers: { 'What brings you here?': 'Burnout' } },
    ]);
    expect(res.body.payments).toEqual([
      expect.objectContaining({
        kind: 'booking',
        amount: 9500,
        currency: 'usd',
        status: 'succeeded',
      }),
    ]);
    const page = await t
      .http()
      .get(`/coach/clients/${id}`)
      .set('cookie', `mend_session=${coach}`)
      .expect(200);
    expect(page.text).toContain('Burnout');
  });

  it('exports everything about the caller as JSON, and nothing about anyone else', async () => {
    const token = await signup(t, 'sam@example.com', 'Sam');
    await postBooking(t, 'free-call', slot(), 'sam@example.com', {
      notes: 'Evenings are easier',
    }).expect(201);
    await postBooking(t, 'free-call', slot(), 'other@example.com').expect(201);
    const res = await t
      .http()
      .get('/api/me/export')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(res.body.account).toMatchObject({
      email: 'sam@example.com',
      name: 'Sam',
      role: 'client',
    });
    expect(res.body.account.passwordHash).toBeUndefined();
    expect(res.body.bookings).toHaveLength(1);
    expect(res.body.bookings[0].notes).toBe('Evenings are easier');
    expect(JSON.stringify(res.body)).not.toContain('other@example.com');
    expect(res.body.content).toEqual(expect.objectContaining({ comments: [], ratings: [] }));
    await t.http().get('/api/me/export').expect(401);
    const page = await t
      .http()
      .get('/account/export.json')
      .set('cookie', `mend_session=${token}`)
      .expect(200);
    expect(page.headers['content-disposition']).toMatch(/attachment/);
  });

  it('erases an account: wrong password changes nothing; then future sessions are cancelled and refunded, payments anonymised', async () => {
    const token = await signup(t, 'leaving@example.com', 'Lee');
    const start = slot();
    const paid = await postBooking(t, 'paid', start, 'leaving@example.com').expect(201);
    await payFor(paid.body.id);

    const wrong = await eraseMe(token, { password: 'not-my-password' }).expect(403);
    expect(wrong.body.code).toBe('WRONG_PASSWORD');
    expect(
      await t.dataSource.query(`SELECT 1 FROM users WHERE email = 'leaving@example.com'`),
    ).toHaveLength(1);
    await eraseMe(token, {}).expect(400);

    await eraseMe(token, { password: 'a-long-password' }).expect(204);
    await t.http().get('/api/me').set('authorization', `Bearer ${token}`).expect(401);
    expect(
      await t.dataSource.query(`SELECT 1 FROM users WHERE email = 'leaving@example.com'`),
    ).toHaveLength(0);
    expect(
      await t.dataSource.query(`SELECT 1 FROM bookings WHERE id = $1`, [paid.body.id]),
    ).toHaveLength(0);
    // The payment stays for the books, without the email, and is refunded in full.
    const [payment] = await t.dataSource.query(`SELECT * FROM payments WHERE reference_id = $1`, [
      paid.body.id,
    ]);
    expect(JSON.stringify(payment)).not.toContain('leaving@example.com');
    await eventually(async () =>
      fake.requests.some((r) => r.method === 'POST' && r.path === '/v1/refunds'),
    );
    const refund = fake.requests.find((r) => r.method === 'POST' && r.path === '/v1/refunds')!;
    expect(refund.idempotencyKey).toBeTruthy();
    await eventually(
      async () =>
        (await t.dataSource.query(`SELECT status FROM payments WHERE id = $1`, [payment.id]))[0]
          .status === 'refunded',
    );
    // The slot is free again, and the coach heard about the cancellation.
    expect((await openSlots(t, 'paid', start.slice(0, 10))).map((s) => s.start)).toContain(start);
    await mail.waitFor(
      (m) => /Cancelled/.test(m.subject) && m.text.includes('deleted their account'),
    );
  });

  it("keeps the coach's notes private: encrypted at rest, coach-only, never in the client's export", async () => {
    const token = await signup(t, 'noted@example.com', 'Nora');
    const [{ id }] = await t.dataSource.query(
      `SELECT id FROM users WHERE email = 'noted@example.com'`,
    );
    const secret = 'Mentions a difficult winter; go gently around family topics';
    const added = await t
      .http()
      .post(`/api/clients/${id}/notes`)
      .set('authorization', `Bearer ${coach}`)
      .send({ text: secret })
      .expect(201);
    expect(added.body).toMatchObject({ id: expect.any(String), text: secret });
    const list = await t
      .http()
      .get(`/api/clients/${id}/notes`)
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(list.body.map((n: { text: string }) => n.text)).toEqual([secret]);
    await t
      .http()
      .get(`/api/clients/${id}/notes`)
      .set('authorization', `Bearer ${token}`)
      .expect(403);
    await t
      .http()
      .post(`/api/clients/${id}/notes`)
      .set('authorization', `Bearer ${coach}`)
      .send({ text: '' })
      .expect(400);
    await t
      .http()
      .post(`/api/clients/${id}/notes`)
      .set('authorization', `Bearer ${coach}`)
      .send({ text: 'x'.repeat(20001) })
      .expect(400);
    const rows: { row: string }[] = await t.dataSource.query(
      `SELECT row_to_json(n)::text AS row FROM client_notes n`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const { row } of rows) {
      expect(row).not.toContain('difficult winter');
      expect(row).not.toContain(Buffer.from('difficult winter').toString('hex'));
      expect(row).not.toContain(Buffer.from('difficult winter').toString('base64'));
    }
    const exported = await t
      .http()
      .get('/api/me/export')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(JSON.stringify(exported.body)).not.toContain('difficult winter');
  });

  it("exports a member's 12 Steps reflections decrypted, and erases them with the account", async () => {
    const token = await signup(t, 'member@example.com', 'Mel');
    await t
      .http()
      .post('/api/program/enrollments/grant')
      .set('authorization', `Bearer ${coach}`)
      .send({ email: 'member@example.com' })
      .expect(201);
    await t
      .http()
      .put('/api/me/program/steps/1/reflection')
      .set('authorization', `Bearer ${token}`)
      .send({ text: 'My own words, kept private.', sharedWithCoach: false })
      .expect(200);
    const exported = await t
      .http()
      .get('/api/me/export')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(exported.body.program.reflections).toEqual([
      expect.objectContaining({
        step: 1,
        text: 'My own words, kept private.',
        sharedWithCoach: false,
      }),
    ]);
    expect(exported.body.program.enrollments).toEqual([
      expect.objectContaining({ status: 'active' }),
    ]);
    const [{ id }] = await t.dataSource.query(
      `SELECT id FROM users WHERE email = 'member@example.com'`,
    );
    await eraseMe(token, { password: 'a-long-password' }).expect(204);
    expect(
      await t.dataSource.query(`SELECT 1 FROM reflections WHERE user_id = $1`, [id]),
    ).toHaveLength(0);
    expect(
      await t.dataSource.query(`SELECT 1 FROM enrollments WHERE user_id = $1`, [id]),
    ).toHaveLength(0);
  });

  it('never deletes the coach account from here', async () => {
    const res = await eraseMe(coach, { password: 'coach-password-123' }).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });
});
