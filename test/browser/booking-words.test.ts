import { Browser } from 'playwright-core';
import {
  closeBrowserApp,
  screenshot,
  seriousA11yViolations,
  startBrowserApp,
} from '../support/browser';
import { TestApp } from '../support/app';
import { MailCatcher } from '../support/mail-catcher';
import { runAppClockFrom, setUpCoach } from '../support/scheduling';
import { Clock } from '../../src/common/clock';

jest.setTimeout(120_000);

/**
 * At phone width, without JavaScript, for a coach whose zone is UTC and who never gave clients
 * her name: the visitor picks her zone once (the pages remember it), books through a form that
 * refuses in plain words, and never reads "UTC" or "with Coach" on a page or in her mail.
 */
describe('Browser: a visitor’s zone and words without JavaScript', () => {
  let t: TestApp;
  let browser: Browser;
  const mail = new MailCatcher();

  beforeAll(async () => {
    const mailUrl = await mail.start();
    ({ t, browser } = await startBrowserApp({
      env: { MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '1000' },
    }));
    // Tomorrow 11:40 UTC for the app, whatever the hour the suite runs at: the first time offered
    // (no notice) is still open when the visitor confirms it.
    runAppClockFrom(t, 1, '11:40');
    await setUpCoach(t, 'plain-call', { name: 'Plain call', minimumNoticeMinutes: 0 });
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await closeBrowserApp(t, browser);
    await mail.stop();
  });

  const noUtc = (text: string) => {
    expect(text).not.toMatch(/\bUTC\b/);
    expect(text).not.toMatch(/with Coach\b/);
  };

  it('books in the zone she picked, with plain-word errors, and no UTC anywhere', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await page.goto(t.baseUrl + '/book/plain-call');
    noUtc(await page.locator('body').innerText());
    expect(await page.getByLabel('Times are shown in').inputValue()).toBe('Atlantic/Reykjavik');

    // The zone picker, no script: choose and submit; the choice is remembered in a cookie.
    await page.getByLabel('Times are shown in').selectOption('Europe/Paris');
    await page.getByRole('button', { name: 'Show times' }).click();
    await page.waitForURL(/tz=Europe%2FParis/);
    await page.goto(t.baseUrl + '/book/plain-call');
    expect(await page.getByLabel('Times are shown in').inputValue()).toBe('Europe/Paris');
    noUtc(await page.locator('body').innerText());

    await page.locator('table.month a').first().click();
    await page.locator('.time-list a').first().click();
    await page.getByRole('heading', { name: 'Your details' }).waitFor();
    expect(await page.locator('.lead').innerText()).toMatch(/CES?T|GMT\+[12]\b/);
    await page.getByLabel(/^Email/).fill('not an email');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(
      await page.getByRole('link', { name: 'Write your name (at most 120 characters).' }).count(),
    ).toBe(1);
    expect(await page.getByLabel(/^Email/).inputValue()).toBe('not an email');
    noUtc(await page.locator('body').innerText());
    await screenshot(page, 'book-details-errors-no-js');

    await page.getByLabel('Your name').fill('Paz Visitor');
    await page.getByLabel(/^Email/).fill('paz@example.com');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.getByRole('heading', { name: "You're booked" }).waitFor();
    const booked = await page.locator('body').innerText();
    noUtc(booked);
    expect(booked).toMatch(/CES?T|GMT\+[12]\b/);
    expect(booked).toContain('Plain call with Steady Ground Coaching');
    // Nothing scrolls sideways at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await screenshot(page, 'booked-no-js-phone');
    await context.close();

    // The page checked with scripts on (axe needs them).
    const withJs = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const again = await withJs.newPage();
    await again.goto(t.baseUrl + '/book/plain-call?tz=Europe/Paris');
    expect(await seriousA11yViolations(again)).toEqual([]);
    await withJs.close();

    const confirmation = await mail.waitFor(
      (m) => m.to.includes('paz@example.com') && /^Booked/.test(m.subject),
    );
    noUtc(`${confirmation.subject}\n${confirmation.text}`);
    expect(confirmation.text).toMatch(/CES?T|GMT\+[12]\b/);
  });
});
