import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/common/clock';
import { CheckoutRequest, PAYMENTS, PaymentsPort } from '../../src/payments/payable';
import { CheckoutReturnsService } from '../../src/payments/checkout-returns.service';
import { PaymentsService } from '../../src/payments/payments.service';
import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';
import { FakeStripe, send } from '../support/fake-stripe';
import { eventually, RecordingPayable } from '../support/test-payable';

interface PaymentRow {
  id: string;
  status: string;
  checkout_session_id: string | null;
  payment_intent_id: string | null;
  refunded_amount: number;
  refund_ids: string[];
  failure_reason: string | null;
}

describe('Payments with Stripe (fake Stripe server, signed webhooks)', () => {
  const fake = new FakeStripe();
  let t: TestApp;
  let port: PaymentsPort;
  let payable: RecordingPayable;
  let db: DataSource;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: { ...fake.env(), STRIPE_TIMEOUT_MS: '400' } });
    db = t.dataSource;
    port = t.app.get<PaymentsPort>(PAYMENTS);
    payable = await RecordingPayable.install(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  function request(over: Partial<CheckoutRequest> = {}): CheckoutRequest {
    return {
      kind: 'booking',
      referenceId: randomUUID(),
      amount: 9500,
      currency: 'usd',
      description: 'Coaching session, 1 Dec 2026 17:00 UTC',
      customerEmail: 'payer@example.com',
      expiresAt: new Date(Date.now() + 35 * 60_000),
      successPath: '/bookings/manage?token=abc',
      cancelPath: '/book/coaching',
      ...over,
    };
  }

  async function payment(id: string): Promise<PaymentRow> {
    const [row] = await db.query(`SELECT * FROM payments WHERE id = $1`, [id]);
    return row;
  }
  async function sessionOf(paymentId: string): Promise<string> {
    const row = await payment(paymentId);
    if (!row.checkout_session_id) throw new Error('no session');
    return row.checkout_session_id;
  }
  async function mails(kind: string, to = 'payer@example.com'): Promise<number> {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE kind = $1 AND to_address = $2`,
      [kind, to],
    );
    return row.n;
  }
  async function eventCount(): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM stripe_events`);
    return row.n;
  }

  it('creates a Checkout Session in payment mode naming what is paid for, with an idempotency key', async () => {
    const req = request();
    const result = await port.createCheckout(req);
    const posts = fake
      .requestsTo('POST', '/v1/checkout/sessions')
      .filter((r) => r.idempotencyKey === `checkout-${result.paymentId}`);
    expect(posts).toHaveLength(1);
    const body = posts[0].body;
    expect(body).toMatchObject({
      mode: 'payment',
      client_reference_id: `booking:${req.referenceId}`,
      metadata: { kind: 'booking', referenceId: req.referenceId, paymentId: result.paymentId },
      customer_email: 'payer@example.com',
      expires_at: String(Math.floor(req.expiresAt.getTime() / 1000)),
      line_items: [
        {
          quantity: '1',
          price_data: {
            currency: 'usd',
            unit_amount: '9500',
            product_data: { name: req.description },
          },
        },
      ],
      success_url: `${t.config.publicUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${t.config.publicUrl}/checkout/cancelled?${t.app.get(CheckoutReturnsService).returnQuery(result.paymentId)}`,
    });
    expect(posts[0].stripeVersion).toMatch(/^\d{4}-\d{2}-\d{2}/);
    const sessionId = await sessionOf(result.paymentId);
    expect(result.checkoutUrl).toBe(`https://checkout.stripe.com/c/pay/${sessionId}`);
    expect((await payment(result.paymentId)).status).toBe('pending');
  });

  it('completed → paid once: the handler confirms, a receipt is mailed, the PaymentIntent is recorded', async () => {
    const req = request({ customerEmail: 'once@example.com' });
    const { paymentId } = await port.createCheckout(req);
    const event = fake.completeSession(await sessionOf(paymentId));
    const res = await send(t.http, event).expect(200);
    expect(res.body).toEqual({ received: true, outcome: 'processed' });
    const row = await payment(paymentId);
    expect(row.status).toBe('succeeded');
    expect(row.payment_intent_id).toMatch(/^pi_/);
    expect(await payable.calls(req.referenceId)).toEqual(['paid']);
    expect(await mails('payment_receipt', 'once@example.com')).toBe(1);
  });

  it('the same event ten times, in a row and at once → one confirmation, one mail', async () => {
    const req = request({ customerEmail: 'ten@example.com' });
    const { paymentId } = await port.createCheckout(req);
    const event = fake.completeSession(await sessionOf(paymentId));
    const before = await eventCount();
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => send(t.http, event)));
    expect(concurrent.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(concurrent.filter((r) => r.body.outcome === 'processed')).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      const again = await send(t.http, event).expect(200);
      expect(again.body.outcome).toBe('duplicate');
    }
    expect(await eventCount()).toBe(before + 1);
    expect(await payable.calls(req.referenceId)).toEqual(['paid']);
    expect(await mails('payment_receipt', 'ten@example.com')).toBe(1);
  });

  it('the same event delivered to two app instances at once is applied once', async () => {
    const second = await startTestApp({
      databaseUrl: t.databaseUrl,
      env: { ...fake.env(), STRIPE_TIMEOUT_MS: '400' },
      workers: false,
      seed: false,
    });
    try {
      const recorder = new RecordingPayable(t);
      second.app.get<PaymentsPort>(PAYMENTS).registerHandler('booking', recorder);
      const req = request({ customerEmail: 'two@example.com' });
      const { paymentId } = await port.createCheckout(req);
      const event = fake.completeSession(await sessionOf(paymentId));
      const results = await Promise.all(
        [0, 1, 2, 3].map((i) => send(i % 2 ? second.http : t.http, event)),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(results.filter((r) => r.body.outcome === 'processed')).toHaveLength(1);
      expect(await payable.calls(req.referenceId)).toEqual(['paid']);
      expect(await mails('payment_receipt', 'two@example.com')).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('expired → the hold is released; an expiry after payment is ignored (never backwards)', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    const sessionId = await sessionOf(paymentId);
    await send(t.http, fake.expireSession(sessionId)).expect(200);
    expect((await payment(paymentId)).status).toBe('expired');
    expect(await payable.calls(req.referenceId)).toEqual(['failed']);

    const paid = request();
    const p2 = await port.createCheckout(paid);
    const s2 = await sessionOf(p2.paymentId);
    const completed = fake.completeSession(s2);
    const expired = fake.expireSession(s2);
    await send(t.http, completed).expect(200);
    await send(t.http, expired).expect(200);
    expect((await payment(p2.paymentId)).status).toBe('succeeded');
    expect(await payable.calls(paid.referenceId)).toEqual(['paid']);
  });

  it('a late payment the handler can still honour is confirmed', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    const sessionId = await sessionOf(paymentId);
    await send(t.http, fake.expireSession(sessionId)).expect(200);
    await send(t.http, fake.completeSession(sessionId)).expect(200);
    expect((await payment(paymentId)).status).toBe('succeeded');
    expect(await payable.calls(req.referenceId)).toEqual(['failed', 'paid']);
  });

  it('a late payment that can no longer be honoured (slot taken) is refunded automatically (the handler tells the payer)', async () => {
    const req = request({ customerEmail: 'late@example.com' });
    payable.outcomes.set(req.referenceId, 'refund');
    const { paymentId } = await port.createCheckout(req);
    const sessionId = await sessionOf(paymentId);
    await send(t.http, fake.expireSession(sessionId)).expect(200);
    await send(t.http, fake.completeSession(sessionId)).expect(200);
    const refunded = await eventually(async () =>
      (await payment(paymentId)).status === 'refunded' ? payment(paymentId) : undefined,
    );
    expect(refunded.refunded_amount).toBe(9500);
    const refunds = fake
      .requestsTo('POST', '/v1/refunds')
      .filter((r) => r.idempotencyKey === `refund-${paymentId}`);
    expect(refunds.length).toBeGreaterThanOrEqual(1);
    expect(refunds[0].body).toMatchObject({ payment_intent: refunded.payment_intent_id });
    expect(await payable.calls(req.referenceId)).toEqual(['failed', 'paid', 'refunded']);
    expect(await mails('payment_receipt', 'late@example.com')).toBe(0);
    // Stripe then reports the refund itself: nothing changes twice.
    const echo = fake.events.find(
      (e) => e.type === 'charge.refunded' && e.payload.includes(String(refunded.payment_intent_id)),
    );
    expect(echo).toBeDefined();
    await send(t.http, echo!).expect(200);
    expect(await payable.calls(req.referenceId)).toEqual(['failed', 'paid', 'refunded']);
  });

  it('requestRefund inside the caller transaction → refund through /v1/refunds with an idempotency key; rolled back → nothing', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    await send(t.http, fake.completeSession(await sessionOf(paymentId))).expect(200);

    await expect(
      db.transaction(async (manager) => {
        const summary = await port.requestRefund(
          manager,
          'booking',
          req.referenceId,
          'client cancelled',
        );
        expect(summary).toEqual({ status: 'pending', amount: 9500, currency: 'usd' });
        throw new Error('the cancellation failed');
      }),
    ).rejects.toThrow('the cancellation failed');
    expect((await payment(paymentId)).status).toBe('succeeded');

    const summary = await db.transaction((manager) =>
      port.requestRefund(manager, 'booking', req.referenceId, 'client cancelled'),
    );
    expect(summary).toEqual({ status: 'pending', amount: 9500, currency: 'usd' });
    expect((await payment(paymentId)).status).toBe('refund_pending');
    const row = await eventually(async () =>
      (await payment(paymentId)).status === 'refunded' ? payment(paymentId) : undefined,
    );
    expect(row.refund_ids).toHaveLength(1);
    const refunds = fake
      .requestsTo('POST', '/v1/refunds')
      .filter((r) => r.idempotencyKey === `refund-${paymentId}`);
    expect(refunds).toHaveLength(1);
    expect(await payable.calls(req.referenceId)).toEqual(['paid', 'refunded']);

    const nothing = await db.transaction((manager) =>
      port.requestRefund(manager, 'booking', randomUUID(), 'client cancelled'),
    );
    expect(nothing).toEqual({ status: 'none', amount: 0, currency: null });
  });

  it('retries a failed refund with the same idempotency key until Stripe answers', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    await send(t.http, fake.completeSession(await sessionOf(paymentId))).expect(200);
    fake.failNext(3); // the SDK's first try and its two retries all fail: the job fails and pg-boss retries it
    await db.transaction((manager) =>
      port.requestRefund(manager, 'booking', req.referenceId, 'coach cancelled'),
    );
    // Run the job now rather than waiting for pg-boss's retry delay: same code, same key.
    await eventually(
      async () =>
        fake
          .requestsTo('POST', '/v1/refunds')
          .filter((r) => r.idempotencyKey === `refund-${paymentId}`).length >= 3 || undefined,
    );
    await t.app.get(PaymentsService).runRefund(paymentId);
    expect((await payment(paymentId)).status).toBe('refunded');
    const pi = (await payment(paymentId)).payment_intent_id;
    const attempts = fake
      .requestsTo('POST', '/v1/refunds')
      .filter((r) => r.body.payment_intent === pi);
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(attempts.map((r) => r.idempotencyKey))).toEqual(
      new Set([`refund-${paymentId}`]),
    );
    expect(
      [...fake.refunds.values()].filter(
        (r) => r.metadata && JSON.stringify(r.metadata).includes(paymentId),
      ),
    ).toHaveLength(1);
  });

  it('reflects a refund made in the Stripe dashboard (partial, then full)', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    await send(t.http, fake.completeSession(await sessionOf(paymentId))).expect(200);
    const pi = (await payment(paymentId)).payment_intent_id!;
    await send(t.http, fake.refundFromDashboard(pi, 2000)).expect(200);
    let row = await payment(paymentId);
    expect(row).toMatchObject({ status: 'succeeded', refunded_amount: 2000 });
    await send(t.http, fake.refundFromDashboard(pi)).expect(200);
    row = await payment(paymentId);
    expect(row).toMatchObject({ status: 'refunded', refunded_amount: 9500 });
    expect(row.refund_ids).toHaveLength(2);
    expect(await payable.calls(req.referenceId)).toEqual(['paid', 'refunded']);
  });

  it('refuses bad, missing and stale signatures with 400 and changes nothing', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    const good = fake.completeSession(await sessionOf(paymentId));
    const before = await eventCount();
    const wrongSecret = fake.sign(JSON.parse(good.payload), { secret: 'whsec_not_ours' });
    const stale = fake.sign(JSON.parse(good.payload), {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    for (const attempt of [
      t
        .http()
        .post('/api/stripe/webhook')
        .set('content-type', 'application/json')
        .send(good.payload),
      send(t.http, wrongSecret),
      send(t.http, stale),
      t
        .http()
        .post('/api/stripe/webhook')
        .set('content-type', 'application/json')
        .set('stripe-signature', good.header)
        .send(good.payload.replace('"paid"', '"paid" ')),
      t
        .http()
        .post('/api/stripe/webhook')
        .set('content-type', 'application/json')
        .set('stripe-signature', 'garbage')
        .send(good.payload),
    ]) {
      const res = await attempt.expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
    }
    expect(await eventCount()).toBe(before);
    expect((await payment(paymentId)).status).toBe('pending');
    expect(await payable.calls(req.referenceId)).toEqual([]);
    await send(t.http, good).expect(200);
    expect((await payment(paymentId)).status).toBe('succeeded');
  });

  it('acknowledges unknown event types with 200', async () => {
    const event = fake.sign(
      fake.event('customer.created', { id: 'cus_test_1', object: 'customer' }),
    );
    const res = await send(t.http, event).expect(200);
    expect(res.body.outcome).toBe('ignored');
  });

  it('Stripe 5xx on checkout → 502 PAYMENT_PROVIDER_ERROR, the payment marked failed, every retry with the same key', async () => {
    fake.failNext(3);
    const req = request();
    const error = await port.createCheckout(req).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'PAYMENT_PROVIDER_ERROR', status: 502 });
    const [row] = await db.query(`SELECT * FROM payments WHERE reference_id = $1`, [
      req.referenceId,
    ]);
    expect(row.status).toBe('failed');
    const attempts = fake
      .requestsTo('POST', '/v1/checkout/sessions')
      .filter((r) => r.idempotencyKey === `checkout-${row.id}`);
    expect(attempts).toHaveLength(3);
  });

  it('a transient 5xx is retried with the same key and makes exactly one session', async () => {
    fake.failNext(1);
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    const attempts = fake
      .requestsTo('POST', '/v1/checkout/sessions')
      .filter((r) => r.idempotencyKey === `checkout-${paymentId}`);
    expect(attempts).toHaveLength(2);
    expect(
      [...fake.sessions.values()].filter((s) => JSON.stringify(s.metadata).includes(paymentId)),
    ).toHaveLength(1);
  });

  it('a Stripe timeout on checkout → PAYMENT_PROVIDER_ERROR (and no hang)', async () => {
    fake.hangNext(3);
    const req = request();
    await expect(port.createCheckout(req)).rejects.toMatchObject({
      code: 'PAYMENT_PROVIDER_ERROR',
    });
    const [row] = await db.query(`SELECT status FROM payments WHERE reference_id = $1`, [
      req.referenceId,
    ]);
    expect(row.status).toBe('failed');
  });

  it('the fake honours idempotency: same key + another body → idempotency_error (so our keys are per payment)', async () => {
    const res = await fetch(`${fake.url}/v1/checkout/sessions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fake.env().STRIPE_SECRET_KEY}`,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': 'k-1',
      },
      body: 'mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=100&line_items[0][price_data][product_data][name]=x',
    });
    expect(res.status).toBe(200);
    const again = await fetch(`${fake.url}/v1/checkout/sessions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fake.env().STRIPE_SECRET_KEY}`,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': 'k-1',
      },
      body: 'mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=usd&line_items[0][price_data][unit_amount]=200&line_items[0][price_data][product_data][name]=x',
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: { type: 'idempotency_error' } });
    const unknown = await fetch(`${fake.url}/v1/nothing`, {
      headers: { authorization: `Bearer ${fake.env().STRIPE_SECRET_KEY}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('asynchronous payment methods: completed-unpaid waits; async success confirms; async failure releases', async () => {
    const ok = request();
    const p1 = await port.createCheckout(ok);
    const s1 = await sessionOf(p1.paymentId);
    await send(t.http, fake.completeSession(s1, { async: true })).expect(200);
    expect((await payment(p1.paymentId)).status).toBe('pending');
    expect(await payable.calls(ok.referenceId)).toEqual([]);
    await send(t.http, fake.asyncPaymentSucceeded(s1)).expect(200);
    expect((await payment(p1.paymentId)).status).toBe('succeeded');
    expect(await payable.calls(ok.referenceId)).toEqual(['paid']);

    const bad = request();
    const p2 = await port.createCheckout(bad);
    const s2 = await sessionOf(p2.paymentId);
    await send(t.http, fake.completeSession(s2, { async: true })).expect(200);
    await send(t.http, fake.asyncPaymentFailed(s2)).expect(200);
    expect((await payment(p2.paymentId)).status).toBe('failed');
    expect(await payable.calls(bad.referenceId)).toEqual(['failed']);
  });

  it('re-fetches the session from Stripe when the payload lacks the PaymentIntent', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    const sessionId = await sessionOf(paymentId);
    await send(t.http, fake.completeSession(sessionId, { thinPayload: true })).expect(200);
    expect(
      fake.requestsTo('GET', `/v1/checkout/sessions/${sessionId}`).length,
    ).toBeGreaterThanOrEqual(1);
    expect((await payment(paymentId)).payment_intent_id).toMatch(/^pi_/);
  });

  it('a dashboard refund that arrives before its payment is processed is retried later (503), then applied', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    const sessionId = await sessionOf(paymentId);
    const completed = fake.completeSession(sessionId);
    const pi = String(fake.sessions.get(sessionId)!.payment_intent);
    const refunded = fake.refundFromDashboard(pi);
    await send(t.http, refunded).expect(503);
    await send(t.http, completed).expect(200);
    await send(t.http, refunded).expect(200);
    expect((await payment(paymentId)).status).toBe('refunded');
    expect(await payable.calls(req.referenceId)).toEqual(['paid', 'refunded']);
  });

  it('the success-page return re-fetches the session and fulfils before the webhook arrives; the webhook then changes nothing', async () => {
    const req = request({ customerEmail: 'return@example.com' });
    const { paymentId } = await port.createCheckout(req);
    const sessionId = await sessionOf(paymentId);
    const event = fake.completeSession(sessionId);
    // A paid booking goes on to its "You're booked" page (the payment's success path).
    const page = await t.http().get(`/checkout/success?session_id=${sessionId}`).expect(303);
    expect(page.headers.location).toBe('/bookings/manage?token=abc');
    expect((await payment(paymentId)).status).toBe('succeeded');
    await send(t.http, event).expect(200);
    expect(await payable.calls(req.referenceId)).toEqual(['paid']);
    expect(await mails('payment_receipt', 'return@example.com')).toBe(1);
    await t.http().get(`/checkout/success?session_id=cs_test_unknown`).expect(404);
  });

  it('reconciles a checkout whose webhook was lost: asks Stripe and fulfils', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    fake.completeSession(await sessionOf(paymentId)); // the event is never delivered
    t.app.get(Clock).advance(50 * 60_000);
    try {
      await t.app.get(CheckoutReturnsService).reconcile();
    } finally {
      t.app.get(Clock).reset();
    }
    expect((await payment(paymentId)).status).toBe('succeeded');
    expect(await payable.calls(req.referenceId)).toEqual(['paid']);
  });

  it('lets the payer release a held checkout from the cancelled page (the Stripe session is expired first)', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    const sessionId = await sessionOf(paymentId);
    const page = await t
      .http()
      .get(`/checkout/cancelled?${t.app.get(CheckoutReturnsService).returnQuery(paymentId)}`)
      .expect(200);
    expect(page.text).toContain('You left the checkout');
    // How long the hold lasts, in minutes (the payer's zone is unknown here): never a UTC time.
    expect(page.text).toMatch(
      /holding this for you for <time datetime="[^"]+">about \d+ more minutes<\/time>/,
    );
    expect(page.text).not.toContain('UTC');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const cookie = page.headers['set-cookie'];
    await t
      .http()
      .post(`/checkout/${paymentId}/release`)
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect(
      fake.requestsTo('POST', `/v1/checkout/sessions/${sessionId}/expire`)[0].idempotencyKey,
    ).toBe(`expire-${paymentId}`);
    expect((await payment(paymentId)).status).toBe('expired');
    expect(await payable.calls(req.referenceId)).toEqual(['failed']);
    await t.http().post(`/checkout/${paymentId}/release`).type('form').send({}).expect(403);
  });

  it('GET /api/payments lists every payment for the coach only', async () => {
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    const res = await t
      .http()
      .get('/api/payments')
      .set('authorization', `Bearer ${coach}`)
      .expect(200);
    expect(res.body.length).toBeGreaterThan(5);
    expect(res.body[0]).toEqual({
      id: expect.any(String),
      kind: 'booking',
      referenceId: expect.any(String),
      description: expect.any(String),
      amount: 9500,
      currency: 'usd',
      status: expect.any(String),
      customerEmail: expect.any(String),
      refundedAmount: expect.any(Number),
      testMode: false,
      createdAt: expect.any(String),
      paidAt: null,
      refundedAt: null,
      failureReason: expect.anything(),
      refundFailureReason: null,
    });
    const statuses = new Set((res.body as { status: string }[]).map((p) => p.status));
    expect(statuses).toEqual(new Set(['pending', 'succeeded', 'failed', 'expired', 'refunded']));
    const client = await signup(t, 'nosy@example.com');
    await t.http().get('/api/payments').set('authorization', `Bearer ${client}`).expect(403);
    await t.http().get('/api/payments').expect(401);
    const page = await t
      .http()
      .get('/coach/payments')
      .set('cookie', `mend_session=${coach}`)
      .expect(200);
    expect(page.text).toContain('Coaching session, 1 Dec 2026 17:00 UTC');
    expect(page.text).toContain('$95.00');
    // Created times read as dates in her zone, not as ISO strings ("2 Dec 2026, 0:04" just after
    // midnight, "1 Dec 2026, 17:05" later: hours as the slot buttons show them).
    expect(page.text).toMatch(
      /<td data-label="Created"><time datetime="[^"]+">\d{1,2} \w{3,4} \d{4}, \d{1,2}:\d{2}<\/time>/,
    );
    expect(page.text).toMatch(/Newest first\. Times in [A-Za-z ]+( \([^)]+\))?\./);
  });
});
