import { Browser } from 'playwright-core';
import {
  closeBrowserApp,
  screenshot,
  seriousA11yViolations,
  signInAsCoach,
  startBrowserApp,
} from '../support/browser';
import { TestApp } from '../support/app';
import { MailCatcher } from '../support/mail-catcher';
import { runAppClockFrom, setUpCoach } from '../support/scheduling';
import { Clock } from '../../src/common/clock';

jest.setTimeout(90_000);

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('Browser: booking a session with intake questions and a private video room', () => {
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
    await setUpCoach(t, 'first-session', {
      name: 'First session',
      durationMinutes: 50,
      meeting: { kind: 'generated_video' },
      intakeQuestions: [
        {
          id: 'hopes',
          label: 'What do you hope to get from our work?',
          kind: 'long_text',
          required: true,
        },
        {
          id: 'heard',
          label: 'How did you hear about me?',
          kind: 'choice',
          options: ['A friend', 'The blog', 'Elsewhere'],
          required: false,
        },
        {
          id: 'not-therapy',
          label: 'I understand coaching is not therapy',
          kind: 'checkbox',
          required: true,
        },
      ],
    });
  });
  afterAll(async () => {
    t?.app.get(Clock).reset();
    await closeBrowserApp(t, browser);
    await mail.stop();
  });

  it('asks the questions after the time, refuses missing answers, and sends the room in the mail and the .ics', async () => {
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    await page.goto(t.baseUrl + '/book/first-session');
    await page.waitForURL(/tz=Europe%2FBerlin/);
    // The month view: a day with open times is a link; pick one, then a time.
    const day = page.locator('table.month a').first();
    await day.click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'book-month-view');
    await page.locator('.time-list a').first().click();
    await page.getByRole('heading', { name: 'Your details' }).waitFor();
    await page.getByLabel('Your name').fill('Lena Client');
    await page.getByLabel(/^Email/).fill('lena@example.com');
    await page.getByLabel('How did you hear about me?').selectOption('The blog');
    // Required answers missing: the server says which (the form carries novalidate).
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    // In plain words, in a summary that takes focus and links to each question.
    await page
      .getByRole('link', { name: /Please answer “What do you hope to get from our work\?”/ })
      .waitFor();
    await page
      .getByRole('link', { name: 'Please tick “I understand coaching is not therapy” to go on.' })
      .waitFor();
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains('error-summary')),
    ).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'book-intake-errors');
    // What was chosen is kept.
    expect(await page.getByLabel('How did you hear about me?').inputValue()).toBe('The blog');
    await page
      .getByLabel('What do you hope to get from our work?')
      .fill('To stop carrying the old shame around.');
    await page.getByLabel('I understand coaching is not therapy').check();
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.waitForURL(/\/bookings\/manage\?token=.*booked=1/);
    const roomLink = page.getByRole('link', {
      name: /^https:\/\/meet\.jit\.si\/mend-[0-9a-f]{32}$/,
    });
    const room = (await roomLink.textContent())!.trim();
    expect(await page.getByText('To stop carrying the old shame around.').count()).toBe(1);
    expect(
      await page.getByRole('link', { name: 'Add to Google Calendar' }).getAttribute('href'),
    ).toContain(encodeURIComponent(room));
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'booking-done-video-room');

    const confirmation = await mail.waitFor(
      (m) => m.to.includes('lena@example.com') && /^Booked/.test(m.subject),
    );
    expect(confirmation.text).toContain(`Where: Video call, ${room}`);
    const ics = unfold(
      confirmation.attachments.find((a) => /calendar/.test(a.contentType))!.content,
    );
    expect(ics).toContain(`LOCATION:${room}`);
    expect(ics).toMatch(new RegExp(`\r\nURL(;VALUE=URI)?:${room.replace(/[.]/g, '\\.')}\r\n`));
    // Stored with the booking, as answered.
    const [row] = await t.dataSource.query(
      `SELECT intake, meeting_url FROM bookings WHERE client_email = 'lena@example.com'`,
    );
    expect(row).toEqual({
      intake: {
        hopes: 'To stop carrying the old shame around.',
        heard: 'The blog',
        'not-therapy': 'yes',
      },
      meeting_url: room,
    });
    // The public page never shows the room.
    const pub = await t.http().get('/book/first-session').expect(200);
    expect(pub.text).not.toContain(room);
    await context.close();
  });

  it('shows the coach her other calendars with their state, readable and accessible', async () => {
    const page = await browser.newPage();
    await signInAsCoach(page, t.baseUrl);
    await page.getByRole('link', { name: 'Your other calendars' }).click();
    await page.getByLabel('Name').fill('Dentist and family');
    // A feed address that answers 404: kept, with its error in plain words.
    await page.getByLabel('Secret iCal address').fill(`${t.baseUrl}/no-such-feed/basic.ics`);
    await page.getByRole('button', { name: 'Add calendar' }).click();
    await page.getByText(/not found at this address \(HTTP 404\)/).waitFor();
    expect(await page.getByText('/no-such-feed/').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'coach-calendars');
    await page.getByRole('button', { name: /Remove Dentist and family/ }).click();
    await page.getByText('No calendars yet.').waitFor();
    await page.close();
  });
});
