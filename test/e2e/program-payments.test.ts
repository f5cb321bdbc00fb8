import { signup, startTestApp, startWithCoach, TestApp } from '../support/app';
import { completeStep, enroll, getStep, putReflection } from '../support/program';
import { FakeStripe, send } from '../support/fake-stripe';
import { eventually } from '../support/test-payable';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function enrollmentStatus(t: TestApp, id: string): Promise<string> {
  const [row] = await t.dataSource.query(`SELECT status FROM enrollments WHERE id = $1`, [id]);
  return row.status;
}

/** Opens Mend's local-test-mode checkout page and presses Pay (or Cancel) as the payer would. */
async function pressOnTestCheckout(
  t: TestApp,
  checkoutUrl: string,
  button: 'pay' | 'cancel',
): Promise<string> {
  const path = checkoutUrl.slice(t.config.publicUrl.length);
  const page = await t.http().get(path).expect(200);
  expect(page.text).toContain('no money moves');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const cookie = page.headers['set-cookie'];
  const res = await t
    .http()
    .post(`${path}/${button}`)
    .set('Cookie', cookie)
    .type('form')
    .send({ _csrf: csrf })
    .expect(303);
  return res.headers.location as string;
}

describe('The 12 Steps: paid enrollment in local test mode', () => {
  let t: TestApp;
  let coach: string;

  beforeAll(async () => {
    ({ t, coach } = await startWithCoach({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
    await t
      .http()
      .patch('/api/program')
      .set(bearer(coach))
      .send({ dripDays: 0, price: 19900 })
      .expect(200);
  });
  afterAll(async () => t?.close());

  it('enrolls → pays → step 1 → reflects → completes → step 2; a second enrollment is 409', async () => {
    const token = await signup(t, 'buyer@example.com', 'Bea');
    const first = await enroll(t, token).expect(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      status: 'pending_payment',
      checkoutUrl: expect.stringContaining('/checkout/test/'),
    });
    // Asking again replaces the open checkout instead of piling up holds.
    const res = await enroll(t, token).expect(201);
    expect(await enrollmentStatus(t, first.body.id)).toBe('expired');
    await getStep(t, token, 1).expect(403);

    const [payment] = await t.dataSource.query(
      `SELECT amount, currency, kind FROM payments WHERE reference_id = $1`,
      [res.body.id],
    );
    expect(payment).toEqual({ amount: 19900, currency: 'usd', kind: 'enrollment' });
    const after = await pressOnTestCheckout(t, res.body.checkoutUrl, 'pay');
    expect(after).toMatch(/^\/checkout\/success/);
    expect(await enrollmentStatus(t, res.body.id)).toBe('active');
    const [welcome] = await t.dataSource.query(
      `SELECT subject FROM mail_outbox WHERE to_address = 'buyer@example.com' AND kind = 'program_welcome'`,
    );
    expect(welcome.subject).toMatch(/Welcome to The Humble Pie 12 Steps/);

    await getStep(t, token, 1).expect(200);
    await putReflection(t, token, 1, { text: 'Paid for, and private.' }).expect(200);
    const done = await completeStep(t, token, 1).expect(200);
    expect(done.body.steps[1].status).toBe('available');
    await getStep(t, token, 2).expect(200);

    const again = await enroll(t, token).expect(409);
    expect(again.body.code).toBe('ALREADY_ENROLLED');
    await enroll(t, coach).expect(400);
  });

  it('releases a cancelled checkout so the member can try again', async () => {
    const token = await signup(t, 'canceller@example.com', 'Cam');
    const res = await enroll(t, token).expect(201);
    await pressOnTestCheckout(t, res.body.checkoutUrl, 'cancel');
    await eventually(async () => (await enrollmentStatus(t, res.body.id)) === 'expired');
    await enroll(t, token).expect(201);
  });

  it('a coach refund ends access at once; the payment is refunded; the reflections stay the member’s', async () => {
    const token = await signup(t, 'refundme@example.com', 'Rae');
    const res = await enroll(t, token).expect(201);
    await pressOnTestCheckout(t, res.body.checkoutUrl, 'pay');
    await putReflection(t, token, 1, { text: 'Still mine.' }).expect(200);
    const refunded = await t
      .http()
      .post(`/api/program/enrollments/${res.body.id}/refund`)
      .set(bearer(coach))
      .expect(200);
    expect(refunded.body).toMatchObject({
      status: 'refunded',
      refund: { amount: 19900, currency: 'usd' },
    });
    expect((await getStep(t, token, 1).expect(403)).body.code).toBe('NOT_ENROLLED');
    await eventually(async () => {
      const [p] = await t.dataSource.query(`SELECT status FROM payments WHERE reference_id = $1`, [
        res.body.id,
      ]);
      return p.status === 'refunded';
    });
    expect(await enrollmentStatus(t, res.body.id)).toBe('refunded');
    const [user] = await t.dataSource.query(
      `SELECT id FROM users WHERE email = 'refundme@example.com'`,
    );
    const mine = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM reflections WHERE user_id = $1`,
      [user.id],
    );
    expect(mine[0].n).toBe(1);
    // Enrolling again later finds their earlier writing waiting for them.
    const back = await enroll(t, token).expect(201);
    await pressOnTestCheckout(t, back.body.checkoutUrl, 'pay');
    const step1 = await getStep(t, token, 1).expect(200);
    expect(step1.body.reflection).toMatchObject({ text: 'Still mine.' });
    // A granted enrollment has nothing to refund.
    await signup(t, 'gift@example.com');
    const grant = await t
      .http()
      .post('/api/program/enrollments/grant')
      .set(bearer(coach))
      .send({ email: 'gift@example.com' })
      .expect(201);
    expect(
      (
        await t
          .http()
          .post(`/api/program/enrollments/${grant.body.id}/refund`)
          .set(bearer(coach))
          .expect(409)
      ).body.code,
    ).toBe('CONFLICT');
  });
});

describe('The 12 Steps: paid enrollment through Stripe (fake Stripe server)', () => {
  let t: TestApp;
  const stripe = new FakeStripe();

  beforeAll(async () => {
    await stripe.start();
    t = await startTestApp({ env: { ...stripe.env(), RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
    await stripe.stop();
  });

  it('activates on checkout.session.completed and ends access on a refund made in the Stripe dashboard', async () => {
    const token = await signup(t, 'stripe-member@example.com', 'Sid');
    const res = await enroll(t, token).expect(201);
    // Back from Stripe before the webhook: the pages say the payment is being confirmed, not "pay again".
    const cookie = `mend_session=${token}`;
    expect((await t.http().get('/program/steps').set('cookie', cookie).expect(200)).text).toContain(
      'Confirming your payment',
    );
    expect((await t.http().get('/program').set('cookie', cookie).expect(200)).text).toContain(
      'You have a checkout open',
    );
    const [payment] = await t.dataSource.query(
      `SELECT checkout_session_id FROM payments WHERE reference_id = $1`,
      [res.body.id],
    );
    const paid = stripe.completeSession(payment.checkout_session_id);
    await send(() => t.http(), paid).expect(200);
    await send(() => t.http(), paid).expect(200); // redelivered: nothing changes twice
    expect(await enrollmentStatus(t, res.body.id)).toBe('active');
    const welcomes = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE to_address = 'stripe-member@example.com' AND kind = 'program_welcome'`,
    );
    expect(welcomes[0].n).toBe(1);
    await getStep(t, token, 1).expect(200);
    expect((await t.http().get('/program/steps').set('cookie', cookie).expect(200)).text).toContain(
      '0 of 12 steps completed',
    );

    const [withIntent] = await t.dataSource.query(
      `SELECT payment_intent_id FROM payments WHERE reference_id = $1`,
      [res.body.id],
    );
    await send(() => t.http(), stripe.refundFromDashboard(withIntent.payment_intent_id)).expect(
      200,
    );
    expect(await enrollmentStatus(t, res.body.id)).toBe('refunded');
    expect((await getStep(t, token, 1).expect(403)).body.code).toBe('NOT_ENROLLED');
  });
});
