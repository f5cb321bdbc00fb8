import { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from '../support/app';
import {
  closeBrowserApp,
  screenshot,
  seriousA11yViolations,
  sidewaysElements,
  startBrowserApp,
} from '../support/browser';
import { londonZoneName, runAppClockFrom, setUpCoach } from '../support/scheduling';
import { Clock } from '../../src/common/clock';

jest.setTimeout(120_000);

/**
 * Issue 15's visitor journey at phone width, as a visitor in London reading en-GB: from "Book a
 * session" to "You're booked" in at most 5 page loads (4 when free), no "UTC" in any page or mail
 * she reads, and a manage page that refuses nothing it offered.
 */
describe('Browser: a visitor from "Book a session" to "You\'re booked" and back to change it', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
    // Tomorrow 11:40 UTC for the app, whatever the hour the suite runs at: no time offered drops
    // out of the two days' notice while the visitor fills in the pages.
    runAppClockFrom(t, 1, '11:40');
    // Two days' minimum notice: every offered time is outside the 24-hour change window.
    await setUpCoach(t, 'deep-dive', {
      name: 'Deep dive',
      price: 9500,
      currency: 'usd',
      minimumNoticeMinutes: 2880,
    });
    await setUpCoach(t, 'first-chat', {
      name: 'First chat',
      durationMinutes: 30,
      minimumNoticeMinutes: 2880,
    });
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await closeBrowserApp(t, browser);
  });

  /** What each page of the journey must be: readable without sideways scroll, axe clean, no UTC. */
  async function checkPage(page: Page, texts: string[]): Promise<void> {
    await page.waitForLoadState('load');
    const text = await page.evaluate(() => document.body.innerText);
    texts.push(text);
    expect(text).not.toContain('UTC');
    const wide = await sidewaysElements(page);
    expect({ url: page.url(), wide }).toEqual({ url: page.url(), wide: [] });
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  async function visitor(): Promise<{ context: BrowserContext; page: Page; loads: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      timezoneId: 'Europe/London',
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const loads: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads.push(frame.url());
    });
    return { context, page, loads };
  }

  /** The mails to `email`, once the mail worker has rendered them (a new booking's are rendered after commit). */
  const mailsTo = async (
    email: string,
  ): Promise<{ kind: string; subject: string; text: string }[]> => {
    for (let i = 0; ; i++) {
      const rows: { kind: string; subject: string; text: string; pending: boolean }[] =
        await t.dataSource.query(
          `SELECT kind, subject, text, params IS NOT NULL AS pending FROM mail_outbox WHERE to_address = $1 ORDER BY created_at`,
          [email],
        );
      if ((rows.length && !rows.some((r) => r.pending)) || i >= 100)
        return rows.map(({ kind, subject, text }) => ({ kind, subject, text }));
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it("paid: type → day and time → details → pay → You're booked in 5 loads; then moves and cancels without a refusal", async () => {
    const { context, page, loads } = await visitor();
    const texts: string[] = [];
    await page.goto(t.baseUrl + '/book');
    await checkPage(page, texts);
    await page.getByRole('link', { name: /See open times.*Deep dive/ }).click();
    // The link carried the browser's zone: the first day's times are on this first page.
    await page.waitForURL(/\/book\/deep-dive\?tz=Europe%2FLondon/);
    await page.locator('.time-list a').first().waitFor();
    await checkPage(page, texts);
    await page.locator('.time-list a').first().click();
    await page.getByRole('heading', { name: 'Your details' }).waitFor();
    await checkPage(page, texts);
    await page.getByLabel('Your name').fill('Alex Visitor');
    await page.getByLabel(/^Email/).fill('alex@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/checkout\/test\//);
    await checkPage(page, texts);
    await page.getByRole('button', { name: 'Pay $95.00 (test)' }).click();
    await page.getByRole('heading', { name: "You're booked" }).waitFor();
    await checkPage(page, texts);
    await screenshot(page, 'visitor-booked-paid');
    expect(loads).toHaveLength(5);

    // When (her zone, en-GB: "Tuesday 8 December 2026 at 16:40 GMT"), what next, calendar, change.
    const booked = texts[texts.length - 1];
    expect(booked).toContain('What happens next');
    expect(booked).toContain('$95.00');
    await page.getByRole('link', { name: 'Add to Apple Calendar (.ics)' }).waitFor();
    await page.getByRole('link', { name: 'Add to Google Calendar' }).waitFor();
    const [row] = await t.dataSource.query(
      `SELECT b.id, b.status, b.start_at, p.status AS payment FROM bookings b JOIN payments p ON p.reference_id = b.id WHERE b.client_email = 'alex@example.com'`,
    );
    expect([row.status, row.payment]).toEqual(['confirmed', 'succeeded']);
    // GMT in winter, BST in summer: London's name at the booked time.
    const zoneName = londonZoneName(row.start_at);
    expect(booked).toMatch(
      new RegExp(`When\\s+\\w+day,? \\d{1,2} [A-Z][a-z]+ \\d{4} at \\d{1,2}:\\d{2} ${zoneName}\\b`),
    );

    // Change it: the manage page preselects nothing; a time it offers is not refused.
    await page.getByRole('link', { name: 'Change or cancel this booking' }).click();
    await page.getByRole('heading', { name: 'Move it to another time' }).waitFor();
    await checkPage(page, texts);
    await screenshot(page, 'visitor-manage');
    expect(await page.locator('select#start').count()).toBe(0);
    const offered = page.locator('form[action="/bookings/manage/reschedule"] button[name="start"]');
    const target = await offered.last().getAttribute('value');
    await offered.last().click();
    await page.getByText('Your session has moved').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await checkPage(page, texts);
    const [moved] = await t.dataSource.query(`SELECT start_at FROM bookings WHERE id = $1`, [
      row.id,
    ]);
    expect(moved.start_at.toISOString()).toBe(new Date(target!).toISOString());

    // Cancel: asked once, with the refund stated; only "Yes" cancels.
    await page.getByRole('link', { name: 'Cancel my session…' }).click();
    await page.getByText('You will get a full refund of $95.00').waitFor();
    await checkPage(page, texts);
    await screenshot(page, 'visitor-cancel-confirm');
    expect(
      (await t.dataSource.query(`SELECT status FROM bookings WHERE id = $1`, [row.id]))[0].status,
    ).toBe('confirmed');
    await page.getByRole('button', { name: 'Yes, cancel my session' }).click();
    await page.getByText('Your session is cancelled, and a full refund is on its way.').waitFor();
    await checkPage(page, texts);

    // Every mail she got: booked, receipt, moved, cancelled; none says UTC.
    const mails = await mailsTo('alex@example.com');
    expect(mails.map((m) => m.kind)).toEqual(expect.arrayContaining(['payment_receipt']));
    expect(mails.length).toBeGreaterThanOrEqual(4);
    for (const m of mails) {
      expect(m.subject).not.toContain('UTC');
      expect(m.text).not.toContain('UTC');
    }
    expect(mails.find((m) => m.kind === 'payment_receipt')!.text).toContain(zoneName);
    await context.close();
  });

  it("free: type → day and time → details → You're booked in 4 loads", async () => {
    const { context, page, loads } = await visitor();
    const texts: string[] = [];
    await page.goto(t.baseUrl + '/book');
    await page.getByRole('link', { name: /See open times.*First chat/ }).click();
    await page.locator('.time-list a').first().click();
    await page.getByLabel('Your name').fill('Jo Free');
    await page.getByLabel(/^Email/).fill('jo@example.com');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.getByRole('heading', { name: "You're booked" }).waitFor();
    await checkPage(page, texts);
    await screenshot(page, 'visitor-booked-free');
    expect(loads).toHaveLength(4);
    expect(texts[0]).toMatch(/Price\s+Free/);
    const joMails = await mailsTo('jo@example.com');
    expect(joMails.map((m) => m.kind)).toContain('booking_confirmed');
    for (const m of joMails) expect(`${m.subject}\n${m.text}`).not.toContain('UTC');
    await context.close();
  });
});
