import { Browser } from 'playwright-core';
import { TestApp } from '../support/app';
import {
  closeBrowserApp,
  screenshot,
  seriousA11yViolations,
  startBrowserApp,
} from '../support/browser';
import { runAppClockFrom, setUpCoach } from '../support/scheduling';
import { Clock } from '../../src/common/clock';

jest.setTimeout(60_000);

/** The whole paid journey in the browser, in local test mode: book → pay → confirmed. */
describe('Browser: booking a paid session and paying in local test mode', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
    // Tomorrow 11:40 UTC for the app, whatever the hour the suite runs at: no time drops out of the
    // notice while the tests run, so the first time offered stays the same one.
    runAppClockFrom(t, 1, '11:40');
    await setUpCoach(t, 'paid-session', {
      name: 'Deep-dive session',
      price: 9500,
      currency: 'usd',
      minimumNoticeMinutes: 60,
    });
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await closeBrowserApp(t, browser);
  });

  it('books, is sent to the test checkout, pays, and the booking is confirmed', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(t.baseUrl + '/book');
    await page.getByRole('link', { name: /See open times.*Deep-dive session/ }).click();
    await page.locator('.time-list a').first().click();
    await page.getByRole('heading', { name: 'Your details' }).waitFor();
    await page.getByLabel('Your name').fill('Paying Visitor');
    await page.getByLabel(/^Email/).fill('payer@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/checkout\/test\//);
    await page.getByText('Local test mode — no money moves.').waitFor();
    await page.getByText('$95.00').first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Pay $95.00 (test)' }).click();
    // Paid or free, the same "You're booked" page.
    await page.waitForURL(/\/bookings\/manage\?token=.*booked=1/);
    await page.getByRole('heading', { name: "You're booked" }).waitFor();
    await page.getByText('$95.00').first().waitFor();
    await screenshot(page, 'booking-paid-success');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const [row] = await t.dataSource.query(
      `SELECT b.status, p.status AS payment FROM bookings b JOIN payments p ON p.reference_id = b.id WHERE b.client_email = 'payer@example.com'`,
    );
    expect(row).toEqual({ status: 'confirmed', payment: 'succeeded' });
    await page.close();
  });

  it('cancelling at checkout releases the time', async () => {
    const page = await browser.newPage();
    await page.goto(t.baseUrl + '/book');
    await page.getByRole('link', { name: /See open times.*Deep-dive session/ }).click();
    const first = page.locator('.time-list a').first();
    const href = await first.getAttribute('href');
    await first.click();
    await page.getByLabel('Your name').fill('Changed Mind');
    await page.getByLabel(/^Email/).fill('changed@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/checkout\/test\//);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Payment not completed' }).waitFor();
    const [row] = await t.dataSource.query(
      `SELECT status FROM bookings WHERE client_email = 'changed@example.com'`,
    );
    expect(row.status).toBe('expired');
    // The time is offered again.
    await page.goto(t.baseUrl + '/book');
    await page.getByRole('link', { name: /See open times.*Deep-dive session/ }).click();
    expect(await page.locator('.time-list a').first().getAttribute('href')).toBe(href);
    await page.close();
  });
});
