import { randomUUID } from 'node:crypto';
import { Browser } from 'playwright-core';
import { PAYMENTS, PaymentsPort } from '../../src/payments/payable';
import { TestApp } from '../support/app';
import {
  closeBrowserApp,
  screenshot,
  scrollsSideways,
  seriousA11yViolations,
  signInAsCoach,
  startBrowserApp,
} from '../support/browser';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';
import { RecordingPayable } from '../support/test-payable';

describe('Browser: paying in local test mode', () => {
  let t: TestApp;
  let browser: Browser;
  let payable: RecordingPayable;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp({ env: { PUBLIC_URL: 'http://127.0.0.1:1' } }));
    payable = await RecordingPayable.install(t, 'enrollment');
  });
  afterAll(() => closeBrowserApp(t, browser));

  async function checkout(): Promise<{ referenceId: string; paymentId: string; path: string }> {
    const referenceId = randomUUID();
    const { paymentId, checkoutUrl } = await t.app.get<PaymentsPort>(PAYMENTS).createCheckout({
      kind: 'enrollment',
      referenceId,
      amount: 24900,
      currency: 'usd',
      description: 'The Humble Pie 12 Steps',
      customerEmail: 'member@example.com',
      expiresAt: new Date(Date.now() + 35 * 60_000),
      successPath: '/program',
      cancelPath: '/program',
    });
    return { referenceId, paymentId, path: new URL(checkoutUrl).pathname };
  }

  it('pays on the test checkout page, on a phone, and lands on a clear success page', async () => {
    const { referenceId, paymentId, path } = await checkout();
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(t.baseUrl + path);
    await page.getByText('Local test mode — no money moves.').waitFor();
    await page.getByText('$249.00').first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'payments-test-checkout');
    await page.getByRole('button', { name: 'Pay $249.00 (test)' }).click();
    await page.waitForURL(new RegExp(`/checkout/success\\?payment=${paymentId}&return=`));
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'payments-success');
    expect(await payable.calls(referenceId)).toEqual(['paid']);
    await page.close();
  });

  it('pays for a real paid booking: the API answers pending_payment with a checkout URL, paying confirms it', async () => {
    await setUpCoach(t, 'paid-browser', { price: 9500, currency: 'usd', name: 'Coaching session' });
    const [slot] = await openSlots(t, 'paid-browser', dayFromNow(2));
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('paid-browser', slot.start, 'browser@example.com'))
      .expect(201);
    expect(res.body.status).toBe('pending_payment');
    const token = new URL(res.body.manageUrl).searchParams.get('token');
    const page = await browser.newPage();
    await page.goto(t.baseUrl + new URL(res.body.checkoutUrl).pathname);
    await page.getByText('$95.00').first().waitFor();
    await page
      .getByText(/Coaching session/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Pay $95.00 (test)' }).click();
    // A paid booking lands on its "You're booked" page.
    await page.waitForURL(`${t.baseUrl}/bookings/manage?token=${token}&booked=1`);
    await page.getByRole('heading', { name: "You're booked" }).waitFor();
    await screenshot(page, 'payments-booking-paid');
    const booking = await t.http().get(`/api/bookings/${res.body.id}?token=${token}`).expect(200);
    expect(booking.body.status).toBe('confirmed');
    await page.close();
  });

  it('cancels with the keyboard and says nothing was charged', async () => {
    const { referenceId, path } = await checkout();
    const page = await browser.newPage();
    await page.goto(t.baseUrl + path);
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Payment not completed' }).waitFor();
    await page.getByText('Nothing was charged').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await payable.calls(referenceId)).toEqual(['failed']);
    await page.close();
  });

  it('shows the coach every payment on /coach/payments', async () => {
    const page = await browser.newPage();
    await signInAsCoach(page, t.baseUrl);
    await page.getByRole('link', { name: 'Open payments' }).click();
    await page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor();
    await page
      .getByRole('cell', { name: /The Humble Pie 12 Steps/ })
      .first()
      .waitFor();
    expect(await page.getByText('succeeded').count()).toBeGreaterThanOrEqual(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'coach-payments');
    await page.close();
  });
});
