import { COACH_EMAIL, pageForm, signup, startTestApp, TestApp } from '../support/app';
import { FakeStripe, send } from '../support/fake-stripe';
import { MailCatcher } from '../support/mail-catcher';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';
import { eventually } from '../support/test-payable';

interface PaymentRow {
  id: string;
  status: string;
  refunded_amount: number;
  refund_ids: string[];
  failed_refund_ids: string[];
  refund_failure_reason: string | null;
  refund_attempt: number;
  payment_intent_id: string;
}

/** `charge.refund.updated` with a failed refund: shown to the coach, told by mail, retried with a new key. */
describe('Refunds that fail at Stripe', () => {
  const fake = new FakeStripe();
  const mail = new MailCatcher();
  let t: TestApp;
  let coach: string;
  let slots: string[];
  let next = 0;

  beforeAll(async () => {
    await fake.start();
    const mailUrl = await mail.start();
    t = await startTestApp({
      env: { ...fake.env(), MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '100000' },
    });
    coach = await setUpCoach(t, 'paid', { price: 9500, durationMinutes: 60 });
    slots = (await openSlots(t, 'paid', dayFromNow(6))).map((s) => s.start);
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
    await mail.stop();
  });

  const payment = async (id: string): Promise<PaymentRow> =>
    (await t.dataSource.query(`SELECT * FROM payments WHERE id = $1`, [id]))[0];

  /** A paid booking the coach cancels: refunded in full through Stripe. */
  async function refundedPayment(email: string): Promise<PaymentRow> {
    const booked = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('paid', slots[next++], email))
      .expect(201);
    const [{ id, checkout_session_id }] = await t.dataSource.query(
      `SELECT id, checkout_session_id FROM payments WHERE reference_id = $1`,
      [booked.body.id],
    );
    await send(t.http, fake.completeSession(checkout_session_id)).expect(200);
    await t
      .http()
      .post(`/api/bookings/${booked.body.id}/cancel`)
      .set('authorization', `Bearer ${coach}`)
      .send({})
      .expect(200);
    return eventually(async () => {
      const row = await payment(id);
      return row.status === 'refunded' ? row : undefined;
    });
  }

  it('shows "refund failed" with Stripe’s reason on the coach’s payments page, mails the coach, and retries with a new idempotency key', async () => {
    const paid = await refundedPayment('card-closed@example.com');
    expect(paid.refund_ids).toHaveLength(1);
    const firstKey = fake
      .requestsTo('POST', '/v1/refunds')
      .find(
        (r) => r.body.metadata && (r.body.metadata as Record<string, string>).paymentId === paid.id,
      )!.idempotencyKey;
    expect(firstKey).toBe(`refund-${paid.id}`);

    const failed = fake.failRefund(paid.refund_ids[0], 'expired_or_canceled_card');
    await send(t.http, failed).expect(200);
    const row = await payment(paid.id);
    expect(row).toMatchObject({
      status: 'refund_failed',
      refunded_amount: 0,
      refund_failure_reason: 'expired_or_canceled_card',
      failed_refund_ids: [paid.refund_ids[0]],
    });
    // Delivered again: nothing changes twice.
    await send(t.http, failed).expect(200);
    expect(await payment(paid.id)).toMatchObject({
      status: 'refund_failed',
      failed_refund_ids: [paid.refund_ids[0]],
    });

    const page = await t
      .http()
      .get('/coach/payments')
      .set('cookie', `mend_session=${coach}`)
      .expect(200);
    expect(page.text).toContain('refund failed');
    expect(page.text).toContain('the card has expired or was cancelled');
    expect(page.text).toContain('expired_or_canceled_card');
    expect(page.text).toContain(`/coach/payments/${paid.id}/retry-refund`);
    const api = await t
      .http()
      .get('/api/payments')
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(api.body.find((p: { id: string }) => p.id === paid.id)).toMatchObject({
      status: 'refund_failed',
      refundFailureReason: 'expired_or_canceled_card',
    });

    const told = await mail.waitFor(
      (m) => m.to.includes(COACH_EMAIL) && m.subject.startsWith('A refund did not go through'),
    );
    expect(told.text).toContain('the card has expired or was cancelled');
    expect(told.text).toContain('/coach/payments');

    // The coach retries from the page: a new attempt at Stripe, under a new idempotency key.
    const { cookie, csrf } = await pageForm(t, '/coach/payments', coach);
    const retried = await t
      .http()
      .post(`/coach/payments/${paid.id}/retry-refund`)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect(retried.headers.location).toBe('/coach/payments?retried=1');
    const done = await eventually(async () => {
      const r = await payment(paid.id);
      return r.status === 'refunded' ? r : undefined;
    });
    expect(done).toMatchObject({ refund_attempt: 1, refunded_amount: 9500 });
    expect(done.refund_ids).toHaveLength(2);
    const keys = fake
      .requestsTo('POST', '/v1/refunds')
      .filter((r) => (r.body.metadata as Record<string, string> | undefined)?.paymentId === paid.id)
      .map((r) => r.idempotencyKey);
    expect(new Set(keys)).toEqual(new Set([`refund-${paid.id}`, `refund-${paid.id}-attempt-1`]));
    // Stripe's charge.refunded for the retry changes nothing twice.
    const event = fake.events
      .filter((e) => e.type === 'charge.refunded' && e.payload.includes(paid.payment_intent_id))
      .pop()!;
    await send(t.http, event).expect(200);
    expect((await payment(paid.id)).status).toBe('refunded');
  });

  it('ignores refund updates that are not failures, and refunds it does not know', async () => {
    const paid = await refundedPayment('fine@example.com');
    const refund = fake.refunds.get(paid.refund_ids[0])!;
    await send(
      t.http,
      fake.sign(fake.event('charge.refund.updated', { ...refund, description: 'updated' })),
    ).expect(200);
    expect((await payment(paid.id)).status).toBe('refunded');
    await send(
      t.http,
      fake.sign(
        fake.event('charge.refund.updated', {
          ...refund,
          id: 're_unknown',
          status: 'failed',
          failure_reason: 'declined',
          payment_intent: 'pi_unknown',
          metadata: {},
        }),
      ),
    ).expect(200);
    expect((await payment(paid.id)).status).toBe('refunded');
    // Metadata naming our payment can't claim it for another PaymentIntent's refund.
    await send(
      t.http,
      fake.sign(
        fake.event('charge.refund.updated', {
          ...refund,
          id: 're_other',
          status: 'failed',
          failure_reason: 'declined',
          payment_intent: 'pi_other',
          metadata: { paymentId: paid.id },
        }),
      ),
    ).expect(200);
    expect((await payment(paid.id)).status).toBe('refunded');
    // An unsigned one is refused.
    await t
      .http()
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .send(JSON.stringify(fake.event('charge.refund.updated', refund)))
      .expect(400);
  });

  it('lets only the coach retry, and only a refund that failed', async () => {
    const paid = await refundedPayment('guard@example.com');
    const client = await signup(t, 'someone@example.com', 'Someone');
    await t
      .http()
      .post(`/api/payments/${paid.id}/retry-refund`)
      .set('authorization', `Bearer ${client}`)
      .expect(403);
    await t.http().post(`/api/payments/${paid.id}/retry-refund`).expect(401);
    const conflict = await t
      .http()
      .post(`/api/payments/${paid.id}/retry-refund`)
      .set('authorization', `Bearer ${coach}`)
      .expect(409);
    expect(conflict.body.code).toBe('CONFLICT');
    await t
      .http()
      .post('/api/payments/00000000-0000-0000-0000-000000000000/retry-refund')
      .set('authorization', `Bearer ${coach}`)
      .expect(404);
    await t
      .http()
      .post('/api/payments/not-an-id/retry-refund')
      .set('authorization', `Bearer ${coach}`)
      .expect(404);
    // By the API too, after a failure: 200 and the payment is refund_pending at once.
    await send(t.http, fake.failRefund(paid.refund_ids[0], 'lost_or_stolen_card')).expect(200);
    const res = await t
      .http()
      .post(`/api/payments/${paid.id}/retry-refund`)
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(res.body).toMatchObject({ id: paid.id, status: 'refund_pending' });
    await t
      .http()
      .post(`/api/payments/${paid.id}/retry-refund`)
      .set('authorization', `Bearer ${coach}`)
      .expect(409);
    await eventually(async () => (await payment(paid.id)).status === 'refunded' || undefined);
  });
});
