import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../support/app';
import { FakeStripe, send } from '../support/fake-stripe';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';
import { eventually } from '../support/test-payable';

interface Booked {
  id: string;
  status: string;
  checkoutUrl: string;
  holdExpiresAt: string;
  manageUrl: string;
  price: number;
  currency: string;
}

/** Paid sessions end to end: the bookings API, the real Stripe SDK against the fake, signed webhooks. */
describe('Paid bookings with Stripe', () => {
  const fake = new FakeStripe();
  let t: TestApp;
  let coach: string;
  let db: DataSource;
  let slots: string[];
  let next = 0;
  const slug = 'paid-session';

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({
      env: { ...fake.env(), STRIPE_TIMEOUT_MS: '400', RATE_LIMIT_PER_MINUTE: '100000' },
    });
    db = t.dataSource;
    coach = await setUpCoach(t, slug, { price: 9500, currency: 'usd', name: 'Coaching session' });
    slots = [
      ...(await openSlots(t, slug, dayFromNow(3))),
      ...(await openSlots(t, slug, dayFromNow(4))),
    ].map((s) => s.start);
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  const slot = () => slots[next++];

  async function book(start: string, email: string): Promise<Booked> {
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody(slug, start, email))
      .expect(201);
    return res.body;
  }
  async function bookingStatus(id: string): Promise<string> {
    const [row] = await db.query(`SELECT status FROM bookings WHERE id = $1`, [id]);
    return row.status;
  }
  async function paymentOf(bookingId: string): Promise<{
    id: string;
    status: string;
    checkout_session_id: string;
    payment_intent_id: string | null;
  }> {
    const [row] = await db.query(
      `SELECT * FROM payments WHERE kind = 'booking' AND reference_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [bookingId],
    );
    return row;
  }
  async function mails(kind: string, to: string): Promise<number> {
    const [row] = await db.query(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE kind = $1 AND to_address = $2`,
      [kind, to],
    );
    return row.n;
  }
  const tokenOf = (b: Booked) => new URL(b.manageUrl).searchParams.get('token')!;

  it('paid booking → pending_payment with a Checkout Session for the hold → completed → confirmed, with confirmation and receipt', async () => {
    const start = slot();
    const b = await book(start, 'paid@example.com');
    expect(b).toMatchObject({ status: 'pending_payment', price: 9500, currency: 'usd' });
    const payment = await paymentOf(b.id);
    expect(b.checkoutUrl).toBe(`https://checkout.stripe.com/c/pay/${payment.checkout_session_id}`);
    const [create] = fake
      .requestsTo('POST', '/v1/checkout/sessions')
      .filter((r) => r.idempotencyKey === `checkout-${payment.id}`);
    expect(create.body).toMatchObject({
      mode: 'payment',
      client_reference_id: `booking:${b.id}`,
      metadata: { kind: 'booking', referenceId: b.id },
      expires_at: String(Math.floor(new Date(b.holdExpiresAt).getTime() / 1000)),
      customer_email: 'paid@example.com',
    });
    expect(await openSlots(t, slug, start.slice(0, 10))).not.toContainEqual(
      expect.objectContaining({ start }),
    );

    await send(t.http, fake.completeSession(payment.checkout_session_id)).expect(200);
    expect(await bookingStatus(b.id)).toBe('confirmed');
    const view = await t
      .http()
      .get(`/api/bookings/${b.id}?token=${tokenOf(b)}`)
      .expect(200);
    expect(view.body.status).toBe('confirmed');
    expect(await mails('booking_confirmed', 'paid@example.com')).toBe(1);
    expect(await mails('payment_receipt', 'paid@example.com')).toBe(1);
  });

  it('the same completed event ten times at once and again → one confirmation, one mail', async () => {
    const b = await book(slot(), 'tentimes@example.com');
    const event = fake.completeSession((await paymentOf(b.id)).checkout_session_id);
    const results = await Promise.all(Array.from({ length: 10 }, () => send(t.http, event)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (let i = 0; i < 10; i++) await send(t.http, event).expect(200);
    expect(await bookingStatus(b.id)).toBe('confirmed');
    expect(await mails('booking_confirmed', 'tentimes@example.com')).toBe(1);
    expect(await mails('payment_receipt', 'tentimes@example.com')).toBe(1);
    const [coachMail] = await db.query(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE kind = 'booking_coach_notice' AND text LIKE '%' || $1 || '%'`,
      ['tentimes@example.com'],
    );
    expect(coachMail.n).toBe(1);
  });

  it('expired checkout → the slot is offered again', async () => {
    const start = slot();
    const b = await book(start, 'expired@example.com');
    await send(t.http, fake.expireSession((await paymentOf(b.id)).checkout_session_id)).expect(200);
    expect(await bookingStatus(b.id)).toBe('expired');
    expect(await openSlots(t, slug, start.slice(0, 10))).toContainEqual(
      expect.objectContaining({ start }),
    );
  });

  it('a late payment on a slot still free confirms the booking', async () => {
    const b = await book(slot(), 'latefree@example.com');
    const sessionId = (await paymentOf(b.id)).checkout_session_id;
    await send(t.http, fake.expireSession(sessionId)).expect(200);
    await send(t.http, fake.completeSession(sessionId)).expect(200);
    expect(await bookingStatus(b.id)).toBe('confirmed');
  });

  it('a late payment on a slot taken meanwhile → refunded automatically, and the client is told', async () => {
    const start = slot();
    const first = await book(start, 'late@example.com');
    const sessionId = (await paymentOf(first.id)).checkout_session_id;
    await send(t.http, fake.expireSession(sessionId)).expect(200);
    const second = await book(start, 'second@example.com');
    await send(
      t.http,
      fake.completeSession((await paymentOf(second.id)).checkout_session_id),
    ).expect(200);
    expect(await bookingStatus(second.id)).toBe('confirmed');

    await send(t.http, fake.completeSession(sessionId)).expect(200);
    const payment = await eventually(async () => {
      const p = await paymentOf(first.id);
      return p.status === 'refunded' ? p : undefined;
    });
    expect(await bookingStatus(first.id)).toBe('expired');
    expect(await bookingStatus(second.id)).toBe('confirmed');
    const refunds = fake
      .requestsTo('POST', '/v1/refunds')
      .filter((r) => r.idempotencyKey === `refund-${payment.id}`);
    expect(refunds).toHaveLength(1);
    expect(refunds[0].body.payment_intent).toBe(payment.payment_intent_id);
    expect(await mails('booking_paid_too_late', 'late@example.com')).toBe(1);
    expect(await mails('booking_confirmed', 'late@example.com')).toBe(0);
  });

  it('cancel in time → a refund request to /v1/refunds with an idempotency key; the booking stays cancelled', async () => {
    const b = await book(slot(), 'cancel@example.com');
    const payment = await paymentOf(b.id);
    await send(t.http, fake.completeSession(payment.checkout_session_id)).expect(200);
    const res = await t
      .http()
      .post(`/api/bookings/${b.id}/cancel`)
      .send({ token: tokenOf(b), reason: 'plans changed' })
      .expect(200);
    expect(res.body).toEqual({
      status: 'cancelled',
      refund: { status: 'pending', amount: 9500, currency: 'usd' },
    });
    await eventually(async () => (await paymentOf(b.id)).status === 'refunded');
    const refunds = fake
      .requestsTo('POST', '/v1/refunds')
      .filter((r) => r.idempotencyKey === `refund-${payment.id}`);
    expect(refunds).toHaveLength(1);
    expect(await bookingStatus(b.id)).toBe('cancelled');
    // Stripe's own charge.refunded for that refund changes nothing more.
    const pi = (await paymentOf(b.id)).payment_intent_id!;
    const echo = fake.events.find((e) => e.type === 'charge.refunded' && e.payload.includes(pi))!;
    await send(t.http, echo).expect(200);
    expect(await bookingStatus(b.id)).toBe('cancelled');
    const again = await t
      .http()
      .post(`/api/bookings/${b.id}/cancel`)
      .send({ token: tokenOf(b) })
      .expect(200);
    expect(again.body.refund.status).toBe('none');
  });

  it('the coach cancelling refunds in full', async () => {
    const b = await book(slot(), 'coachcancel@example.com');
    const payment = await paymentOf(b.id);
    await send(t.http, fake.completeSession(payment.checkout_session_id)).expect(200);
    const res = await t
      .http()
      .post(`/api/bookings/${b.id}/cancel`)
      .set('authorization', `Bearer ${coach}`)
      .send({})
      .expect(200);
    expect(res.body.refund).toEqual({ status: 'pending', amount: 9500, currency: 'usd' });
    await eventually(async () => (await paymentOf(b.id)).status === 'refunded');
  });

  it('a refund made in the Stripe dashboard is reflected: the payment refunded, the booking cancelled', async () => {
    const b = await book(slot(), 'dashboard@example.com');
    const payment = await paymentOf(b.id);
    await send(t.http, fake.completeSession(payment.checkout_session_id)).expect(200);
    const pi = (await paymentOf(b.id)).payment_intent_id!;
    await send(t.http, fake.refundFromDashboard(pi)).expect(200);
    expect((await paymentOf(b.id)).status).toBe('refunded');
    expect(await bookingStatus(b.id)).toBe('cancelled');
  });

  it('a bad signature changes nothing; an unknown event is acknowledged', async () => {
    const b = await book(slot(), 'badsig@example.com');
    const good = fake.completeSession((await paymentOf(b.id)).checkout_session_id);
    await send(t.http, fake.sign(JSON.parse(good.payload), { secret: 'whsec_wrong' })).expect(400);
    expect(await bookingStatus(b.id)).toBe('pending_payment');
    await send(
      t.http,
      fake.sign(fake.event('invoice.created', { id: 'in_1', object: 'invoice' })),
    ).expect(200);
  });

  it('Stripe failing on checkout → 502 PAYMENT_PROVIDER_ERROR, the hold released, and booking again works', async () => {
    const start = slot();
    fake.failNext(3);
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody(slug, start, 'flaky@example.com'))
      .expect(502);
    expect(res.body).toMatchObject({ statusCode: 502, code: 'PAYMENT_PROVIDER_ERROR' });
    expect(res.body.message).toMatch(/nothing was charged/);
    expect(await openSlots(t, slug, start.slice(0, 10))).toContainEqual(
      expect.objectContaining({ start }),
    );
    fake.hangNext(3);
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody(slug, start, 'flaky@example.com'))
      .expect(502);
    expect(await openSlots(t, slug, start.slice(0, 10))).toContainEqual(
      expect.objectContaining({ start }),
    );
    const ok = await book(start, 'flaky@example.com');
    expect(ok.status).toBe('pending_payment');
  });
});
