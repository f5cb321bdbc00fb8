import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CheckoutRequest, PAYMENTS, PaymentsPort } from '../../src/payments/payable';
import { REFUND_QUEUE } from '../../src/payments/payment-fulfilment.service';
import { startTestApp, TestApp } from '../support/app';
import { FakeStripe, send } from '../support/fake-stripe';
import { eventually, RecordingPayable } from '../support/test-payable';

jest.setTimeout(120_000);

/**
 * A refund through the real job queue while Stripe misbehaves: 500s, requests that hang, and the
 * worst case, a refund Stripe carried out whose answer never arrived. Each retry (the SDK's own,
 * then the queue's) carries the same idempotency key, so exactly one refund exists in the end.
 */
describe('Refunds when Stripe fails or hangs', () => {
  const fake = new FakeStripe();
  let t: TestApp;
  let port: PaymentsPort;
  let db: DataSource;

  beforeAll(async () => {
    await fake.start();
    t = await startTestApp({ env: { ...fake.env(), STRIPE_TIMEOUT_MS: '400' } });
    db = t.dataSource;
    port = t.app.get<PaymentsPort>(PAYMENTS);
    await RecordingPayable.install(t);
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  function request(): CheckoutRequest {
    return {
      kind: 'booking',
      referenceId: randomUUID(),
      amount: 9500,
      currency: 'usd',
      description: 'Coaching session',
      customerEmail: 'payer@example.com',
      expiresAt: new Date(Date.now() + 35 * 60_000),
      successPath: '/bookings/manage?token=abc',
      cancelPath: '/book/coaching',
    };
  }

  async function paidPayment(): Promise<{ paymentId: string; referenceId: string }> {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    const [row] = await db.query(`SELECT checkout_session_id FROM payments WHERE id = $1`, [
      paymentId,
    ]);
    await send(t.http, fake.completeSession(row.checkout_session_id)).expect(200);
    return { paymentId, referenceId: req.referenceId };
  }

  /** The queue's retry is due after a backoff of 30 s or more: make it due now (same job, same code). */
  async function retryNow(): Promise<void> {
    await db.query(
      `UPDATE pgboss.job SET start_after = now() WHERE name = $1 AND state = 'retry'`,
      [REFUND_QUEUE],
    );
  }

  async function refundIsDone(paymentId: string): Promise<void> {
    await eventually(async () => {
      await retryNow();
      const [row] = await db.query(`SELECT status FROM payments WHERE id = $1`, [paymentId]);
      return row.status === 'refunded' || undefined;
    });
  }

  function refundsOf(paymentId: string) {
    return {
      requests: fake
        .requestsTo('POST', '/v1/refunds')
        .filter((r) => JSON.stringify(r.body.metadata ?? {}).includes(paymentId)),
      refunds: [...fake.refunds.values()].filter((r) =>
        JSON.stringify(r.metadata ?? {}).includes(paymentId),
      ),
    };
  }

  it.each([
    ['answers 500 to every try of the first run', (f: FakeStripe) => f.failNext(3)],
    ['hangs past the timeout on every try of the first run', (f: FakeStripe) => f.hangNext(3)],
    [
      'carries the refund out but its answers never arrive',
      (f: FakeStripe) => f.loseAnswersOfNext(3),
    ],
  ])('Stripe %s → retried with the same key, exactly one refund', async (_label, misbehave) => {
    const { paymentId, referenceId } = await paidPayment();
    misbehave(fake);
    await db.transaction((m) => port.requestRefund(m, 'booking', referenceId, 'client cancelled'));
    await refundIsDone(paymentId);
    const { requests, refunds } = refundsOf(paymentId);
    expect(requests.length).toBeGreaterThanOrEqual(4); // three failed tries, then the queue's retry
    expect(new Set(requests.map((r) => r.idempotencyKey))).toEqual(
      new Set([`refund-${paymentId}`]),
    );
    expect(refunds).toHaveLength(1);
    const [row] = await db.query(
      `SELECT status, refunded_amount, refund_ids FROM payments WHERE id = $1`,
      [paymentId],
    );
    expect(row).toMatchObject({ status: 'refunded', refunded_amount: 9500 });
  });
});
