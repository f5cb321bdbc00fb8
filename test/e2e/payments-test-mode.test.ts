import { randomUUID } from 'node:crypto';
import { Clock } from '../../src/common/clock';
import { CheckoutRequest, PAYMENTS, PaymentsPort } from '../../src/payments/payable';
import { CheckoutReturnsService } from '../../src/payments/checkout-returns.service';
import { startTestApp, TestApp } from '../support/app';
import { eventually, RecordingPayable } from '../support/test-payable';

/** Local test mode: no STRIPE_SECRET_KEY, checkout is a Mend page, Pay runs the webhook's fulfilment. */
describe('Payments in local test mode', () => {
  let t: TestApp;
  let port: PaymentsPort;
  let payable: RecordingPayable;

  beforeAll(async () => {
    t = await startTestApp();
    port = t.app.get<PaymentsPort>(PAYMENTS);
    payable = await RecordingPayable.install(t, 'enrollment');
  });
  afterAll(async () => {
    await t?.close();
  });

  function request(over: Partial<CheckoutRequest> = {}): CheckoutRequest {
    return {
      kind: 'enrollment',
      referenceId: randomUUID(),
      amount: 24900,
      currency: 'usd',
      description: 'The Humble Pie 12 Steps <program>',
      customerEmail: 'member@example.com',
      expiresAt: new Date(Date.now() + 35 * 60_000),
      successPath: '/program',
      cancelPath: '/program?cancelled=1',
      ...over,
    };
  }

  async function status(id: string): Promise<string> {
    const [row] = await t.dataSource.query(`SELECT status FROM payments WHERE id = $1`, [id]);
    return row.status;
  }

  interface CheckoutPage {
    paymentId: string;
    checkoutUrl: string;
    csrf: string;
    cookie: string[];
    text: string;
  }

  /** Creates a checkout for `req` and loads its test page (its text, cookie and CSRF token). */
  async function openCheckout(req: CheckoutRequest): Promise<CheckoutPage> {
    const { paymentId, checkoutUrl } = await port.createCheckout(req);
    const page = await t.http().get(`/checkout/test/${paymentId}`).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const setCookie = page.headers['set-cookie'];
    return {
      paymentId,
      checkoutUrl,
      csrf,
      cookie: Array.isArray(setCookie) ? setCookie : [String(setCookie)],
      text: page.text,
    };
  }

  /** Presses Pay or Cancel on a loaded checkout page, as its form does. */
  const press = (page: CheckoutPage, button: 'pay' | 'cancel') =>
    t
      .http()
      .post(`/checkout/test/${page.paymentId}/${button}`)
      .set('Cookie', page.cookie)
      .type('form')
      .send({ _csrf: page.csrf });

  /** The return address Mend signs for a payment: `/checkout/<page>?payment=<id>&return=<43 chars>`. */
  const signedReturn = (page: 'success' | 'cancelled', paymentId: string) =>
    new RegExp(`^/checkout/${page}\\?payment=${paymentId}&return=[\\w-]{43}$`);

  /** The receipt mails in the outbox that name this payment. */
  async function receiptsFor(paymentId: string): Promise<{ text: string }[]> {
    return t.dataSource.query(
      `SELECT text FROM mail_outbox WHERE kind = 'payment_receipt' AND text LIKE '%' || $1 || '%'`,
      [paymentId],
    );
  }

  it('shows a return page only with the token Mend signed into the return address, never for a payment id alone', async () => {
    const req = request({ successPath: '/bookings/manage?token=secret-manage-token' });
    const page = await openCheckout(req);
    const { paymentId } = page;
    const paid = await press(page, 'pay').expect(303);
    for (const path of [
      `/checkout/success?payment=${paymentId}`,
      `/checkout/success?payment=${paymentId}&return=${'A'.repeat(43)}`,
      `/checkout/cancelled?payment=${paymentId}`,
    ]) {
      const res = await t.http().get(path).expect(404);
      expect(res.text).not.toContain('secret-manage-token');
    }
    const legit = await t.http().get(paid.headers.location).expect(200);
    expect(legit.text).toContain('secret-manage-token');
  });

  it('leads to a Mend page that shows what is paid, says no money moves, and pays through the same fulfilment', async () => {
    const req = request();
    const page = await openCheckout(req);
    const { paymentId, checkoutUrl } = page;
    expect(checkoutUrl).toBe(`${t.config.publicUrl}/checkout/test/${paymentId}`);
    expect(page.text).toContain('Local test mode — no money moves');
    expect(page.text).toContain('$249.00');
    expect(page.text).toContain('The Humble Pie 12 Steps &lt;program&gt;');
    expect(page.text).not.toContain('<program>');
    const paid = await press(page, 'pay').expect(303);
    expect(paid.headers.location).toMatch(signedReturn('success', paymentId));
    expect(await status(paymentId)).toBe('succeeded');
    expect(await payable.calls(req.referenceId)).toEqual(['paid']);
    const success = await t.http().get(paid.headers.location).expect(200);
    expect(success.text).toContain('Payment received');
    expect(success.text).toContain('href="/program"');
    // Paying twice changes nothing.
    await press(page, 'pay').expect(303);
    expect(await payable.calls(req.referenceId)).toEqual(['paid']);
    expect(await receiptsFor(paymentId)).toHaveLength(1);
    // Back on the paid checkout page: its link onward opens the (signed) return page, and the
    // receipt gives the date paid without a UTC clock time.
    const again = await t.http().get(`/checkout/test/${paymentId}`).expect(200);
    const onward = /href="(\/checkout\/success\?[^"]+)"/
      .exec(again.text)![1]
      .replace(/&amp;/g, '&');
    expect((await t.http().get(onward).expect(200)).text).toContain('Payment received');
    const [receipt] = await receiptsFor(paymentId);
    expect(receipt.text).toMatch(/Paid on: \d{1,2} [A-Z][a-z]+ \d{4}\n/);
    expect(receipt.text).not.toContain('UTC');
  });

  it('Cancel runs the expiry path and says what happens next', async () => {
    const req = request();
    const page = await openCheckout(req);
    const { paymentId } = page;
    const res = await press(page, 'cancel').expect(303);
    expect(res.headers.location).toMatch(signedReturn('cancelled', paymentId));
    expect(await status(paymentId)).toBe('expired');
    expect(await payable.calls(req.referenceId)).toEqual(['failed']);
    const cancelled = await t.http().get(res.headers.location).expect(200);
    expect(cancelled.text).toContain('Nothing was charged');
    // The page no longer offers Pay, and paying now changes nothing.
    const after = await t.http().get(`/checkout/test/${paymentId}`).expect(200);
    expect(after.text).not.toContain('/pay"');
  });

  it('refuses forms without a CSRF token', async () => {
    const { paymentId } = await port.createCheckout(request());
    await t.http().post(`/checkout/test/${paymentId}/pay`).type('form').send({}).expect(403);
    expect(await status(paymentId)).toBe('pending');
  });

  it('expires unpaid test checkouts when their hold ends (the sweep), and a late Pay is refused', async () => {
    const req = request();
    const page = await openCheckout(req);
    const { paymentId } = page;
    const clock = t.app.get(Clock);
    clock.advance(36 * 60_000);
    try {
      const res = await press(page, 'pay').expect(303);
      expect(res.headers.location).toMatch(signedReturn('cancelled', paymentId));
      expect(await status(paymentId)).toBe('expired');
      const other = await port.createCheckout(
        request({ expiresAt: new Date(Date.now() + 31 * 60_000) }),
      );
      await t.app.get(CheckoutReturnsService).reconcile();
      expect(await status(other.paymentId)).toBe('expired');
    } finally {
      clock.reset();
    }
  });

  it('refunds without Stripe, through the same job', async () => {
    const req = request();
    const { paymentId } = await port.createCheckout(req);
    await t.app.get(CheckoutReturnsService).testModePay(paymentId);
    const summary = await t.dataSource.transaction((m) =>
      port.requestRefund(m, 'enrollment', req.referenceId, 'coach refunded'),
    );
    expect(summary).toEqual({ status: 'pending', amount: 24900, currency: 'usd' });
    await eventually(async () => (await status(paymentId)) === 'refunded');
    expect(await payable.calls(req.referenceId)).toEqual(['paid', 'refunded']);
  });

  it("lists a customer's payments and anonymises them on account deletion (the records stay)", async () => {
    const req = request({ customerEmail: 'Leaving@Example.com' });
    const { paymentId } = await port.createCheckout(req);
    await t.app.get(CheckoutReturnsService).testModePay(paymentId);
    const mine = await port.listForCustomer('leaving@example.com');
    expect(mine).toEqual([
      expect.objectContaining({
        id: paymentId,
        kind: 'enrollment',
        referenceId: req.referenceId,
        amount: 24900,
        status: 'succeeded',
        paidAt: expect.any(String),
      }),
    ]);
    const n = await t.dataSource.transaction((m) =>
      port.anonymiseCustomer(m, 'leaving@example.com'),
    );
    expect(n).toBe(1);
    expect(await port.listForCustomer('leaving@example.com')).toEqual([]);
    const [row] = await t.dataSource.query(
      `SELECT customer_email, amount, status FROM payments WHERE id = $1`,
      [paymentId],
    );
    expect(row).toEqual({ customer_email: null, amount: 24900, status: 'succeeded' });
  });

  it('answers the webhook with 400 (no secret configured) and 404 for unknown or malformed checkout ids', async () => {
    await t
      .http()
      .post('/api/stripe/webhook')
      .set('stripe-signature', 't=1,v1=x')
      .send({ id: 'evt_1' })
      .expect(400);
    await t.http().get(`/checkout/test/${randomUUID()}`).expect(404);
    await t.http().get(`/checkout/test/not-a-uuid`).expect(404);
    await t.http().get(`/checkout/success?payment=not-a-uuid`).expect(404);
    await t.http().get(`/checkout/cancelled`).expect(404);
  });
});
