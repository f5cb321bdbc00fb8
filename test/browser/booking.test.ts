import { Browser } from 'playwright-core';
import {
  closeBrowserApp,
  screenshot,
  seriousA11yViolations,
  signInAsCoach,
  startBrowserApp,
} from '../support/browser';
import { TestApp } from '../support/app';
import {
  bookingBody,
  dayFromNow,
  openSlots,
  runAppClockFrom,
  setUpCoach,
} from '../support/scheduling';
import { Clock } from '../../src/common/clock';

jest.setTimeout(60_000);

describe('Browser: a visitor books a session and the coach sees it', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
    // Tomorrow 11:40 UTC for the app, whatever the hour the suite runs at: the first day offered
    // has several times left, so the manage page has another time to move to.
    runAppClockFrom(t, 1, '11:40');
    const coach = await setUpCoach(t, 'intro-call', {
      name: 'Intro call',
      durationMinutes: 30,
      minimumNoticeMinutes: 60,
    });
    // No notice limit, so the visitor may move a session that starts soon.
    await t
      .http()
      .put('/api/coach/settings')
      .set('authorization', `Bearer ${coach}`)
      .send({ displayName: 'Dana', cancellationNoticeHours: 0, maxSessionsPerDay: null })
      .expect(200);
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await closeBrowserApp(t, browser);
  });

  it('books in the visitor’s own zone, then manages it; the coach sees it upcoming', async () => {
    const context = await browser.newContext({
      timezoneId: 'Asia/Kolkata',
      viewport: { width: 360, height: 740 },
    });
    const page = await context.newPage();
    await page.goto(t.baseUrl + '/book');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /See open times.*Intro call/ }).click();
    // The small script switches to the browser's zone.
    // (Chromium names it by its older alias, Asia/Calcutta; both are the same IANA zone.)
    await page.waitForURL(/tz=Asia%2F(Kolkata|Calcutta)/);
    expect(await page.getByLabel('Times are shown in').inputValue()).toMatch(
      /^Asia\/(Kolkata|Calcutta)$/,
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'book-times-phone');
    const firstTime = page.locator('.time-list a').first();
    const label = (await firstTime.textContent())!.trim();
    // Coach hours are 09:00–17:00 UTC = 14:30–22:30 in Kolkata.
    expect(label).toMatch(/:(00|30) (AM|PM)$/);
    await firstTime.click();
    await page.getByRole('heading', { name: 'Your details' }).waitFor();
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    // In plain words, in a summary that takes focus.
    await page.getByRole('link', { name: 'Write your name (at most 120 characters).' }).waitFor();
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains('error-summary')),
    ).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Your name').fill('Priya Visitor');
    await page.getByLabel(/^Email/).fill('priya@example.com');
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.waitForURL(/\/bookings\/manage\?token=.*booked=1/);
    await page
      .getByText('You’re booked', { exact: false })
      .or(page.getByText("You're booked", { exact: false }))
      .first()
      .waitFor();
    expect(await page.getByText(/GMT\+5:30/).count()).toBeGreaterThan(0);
    expect(
      await page.getByRole('link', { name: /Add to Apple Calendar/ }).getAttribute('href'),
    ).toMatch(/\/api\/bookings\/.+\/ics\?token=/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'booking-done-phone');
    const manageUrl = page.url().replace('&booked=1', '');

    // The coach sees it in her upcoming sessions.
    const coachPage = await browser.newPage();
    await signInAsCoach(coachPage, t.baseUrl);
    await coachPage.getByRole('link', { name: 'See your sessions' }).click();
    await coachPage.getByRole('cell', { name: /^Priya Visitor </ }).waitFor();
    expect(await seriousA11yViolations(coachPage)).toEqual([]);
    await screenshot(coachPage, 'coach-sessions');

    // Back to the manage link: move it, then cancel it.
    await page.goto(manageUrl);
    await page.locator('form[action="/bookings/manage/reschedule"] button').nth(1).click();
    await page.getByText('Your session has moved').waitFor();
    await page.getByRole('link', { name: 'Cancel my session…' }).click();
    await page.getByText('This session is free, so there is nothing to refund.').waitFor();
    await page.getByRole('button', { name: 'Yes, cancel my session' }).click();
    await page.getByText('Your session is cancelled').waitFor();
    await coachPage.reload();
    expect(await coachPage.getByText('Priya Visitor').count()).toBe(0);
    // The coach cancels a session from her list.
    const [slot] = await openSlots(t, 'intro-call', dayFromNow(3));
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('intro-call', slot.start, 'kim@example.com', { name: 'Kim Client' }))
      .expect(201);
    await coachPage.reload();
    await coachPage.getByRole('button', { name: /Cancel Kim Client/ }).click();
    await coachPage.waitForURL(/\/coach\/sessions$/);
    await coachPage.getByRole('heading', { name: 'Upcoming sessions' }).waitFor();
    expect(await coachPage.getByText('Kim Client').count()).toBe(0);
    const [row] = await t.dataSource.query(
      `SELECT status FROM bookings WHERE client_email = 'kim@example.com'`,
    );
    expect(row.status).toBe('cancelled');
    await context.close();
    await coachPage.close();
  });
  // The coach's own pages (hours, days off, session types, settings) are walked in coach.test.ts.
});
