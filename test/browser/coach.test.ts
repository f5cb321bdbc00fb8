import { Browser, Page } from 'playwright-core';
import { COACH_EMAIL, COACH_PASSWORD, TestApp } from '../support/app';
import {
  closeBrowserApp,
  screenshot,
  seriousA11yViolations,
  signInAsCoach,
  startBrowserApp,
} from '../support/browser';
import { bookingBody, dayFromNow, openSlots } from '../support/scheduling';

jest.setTimeout(120_000);

/** No page scrolls sideways at phone width. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** The inputs of a form, by type: a coach fills pickers and lists, never a typed format. */
async function inputTypes(page: Page, formAction: string): Promise<string[]> {
  return page
    .locator(
      `form[action="${formAction}"] input:not([type=hidden]), form[action="${formAction}"] select, form[action="${formAction}"] textarea`,
    )
    .evaluateAll((els) =>
      els.map((e) =>
        e.tagName === 'INPUT' ? `input:${(e as HTMLInputElement).type}` : e.tagName.toLowerCase(),
      ),
    );
}

async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(await fitsWidth(page)).toBe(true);
  await screenshot(page, name);
}

describe('Browser: the coach’s first hour at 390 px, with pickers only', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
  });
  afterAll(() => closeBrowserApp(t, browser));

  it('sets her name, zone, weekly hours, a day off and a paid session type; bad submits focus the summary and keep the input', async () => {
    const context = await browser.newContext({
      timezoneId: 'Europe/London',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    let loads = 0;
    page.on('load', () => loads++);

    await signInAsCoach(page, t.baseUrl);

    // Her name, asked once.
    await page.getByRole('heading', { name: /What name should clients see/ }).waitFor();
    await checkPage(page, 'coach-first-visit');
    await page.getByLabel('Your name').fill('Dana Reyes');
    await page.getByRole('button', { name: 'Save my name' }).click();
    await page.getByText('Thank you, Dana Reyes.').waitFor();
    expect(await page.getByText('sessions today').count()).toBe(1);

    // Weekly hours: the browser's zone is offered; hours are time pickers in rows.
    await page.getByRole('link', { name: 'Weekly hours' }).click();
    await page.getByRole('heading', { name: 'Weekly hours' }).waitFor();
    expect(
      (await inputTypes(page, '/coach/availability')).every((x) =>
        ['input:time', 'input:search', 'select'].includes(x),
      ),
    ).toBe(true);
    await page.getByText('Your browser says you are in London').waitFor();
    await page.getByRole('button', { name: 'Use this zone' }).click();
    expect(await page.getByLabel('Your time zone').inputValue()).toBe('Europe/London');
    // The filter shortens the list as she types a city.
    await page.getByLabel('Type a city to shorten the list').fill('lond');
    expect(await page.locator('#timeZone option:not([hidden])').count()).toBeLessThan(5);
    await checkPage(page, 'coach-hours');

    // Saturday: add hours (in place with JavaScript; the no-JS reload is in the e2e test), then set them backwards.
    await page.getByRole('button', { name: 'Add hours on Saturday' }).click();
    await page.locator('#day6-start-0').waitFor();
    expect(await page.getByLabel('Your time zone').inputValue()).toBe('Europe/London');
    // With JavaScript, adding and removing rows happens in place (no page load).
    const before = loads;
    await page.getByRole('button', { name: 'Add hours on Sunday' }).click();
    expect(await page.locator('#day7-start-0').inputValue()).toBe('09:00');
    await page.getByRole('button', { name: /Remove Sunday/ }).click();
    expect(await page.locator('#day7-start-0').count()).toBe(0);
    expect(loads).toBe(before);
    await page.locator('#day6-start-0').fill('15:00');
    await page.locator('#day6-end-0').fill('10:00');
    await page.getByRole('button', { name: 'Save hours', exact: true }).last().click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains('error-summary')),
    ).toBe(true);
    expect(await summary.textContent()).toContain('Saturday: the end must be after the start');
    expect(await page.locator('#day6-start-0').inputValue()).toBe('15:00');
    await checkPage(page, 'coach-hours-error');
    // The summary's link takes her to the field.
    await summary.getByRole('link').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('day6-end-0');
    await page.locator('#day6-end-0').fill('18:00');
    await page.getByRole('button', { name: 'Save hours', exact: true }).last().click();
    await page.getByText('Saved: your hours are in London').waitFor();
    const hours = (
      await t
        .http()
        .get('/api/availability')
        .set('authorization', `Bearer ${await coachToken(t)}`)
        .expect(200)
    ).body;
    expect(hours.timeZone).toBe('Europe/London');
    expect(hours.weekly).toContainEqual({ weekday: 6, start: '15:00', end: '18:00' });

    // A day off with a date picker.
    await page.getByRole('link', { name: 'Days off' }).click();
    await page.getByRole('heading', { name: 'Days off', level: 1 }).waitFor();
    expect(await inputTypes(page, '/coach/time-off')).toEqual([
      'input:date',
      'input:date',
      'input:text',
    ]);
    expect(await inputTypes(page, '/coach/time-off/hours')).toEqual([
      'input:date',
      'input:time',
      'input:time',
    ]);
    await page.getByLabel('First day off').fill('2030-12-24');
    await page.getByRole('button', { name: 'Add days off' }).click();
    await page.getByText('Saved: clients can’t book you then.').waitFor();
    await page.locator('strong', { hasText: 'Tuesday 24 December 2030' }).waitFor();
    await checkPage(page, 'coach-days-off');

    // A paid session type: currency from a list, price as money, web address from the name.
    await page.goto(t.baseUrl + '/coach/session-types');
    expect(await inputTypes(page, '/coach/session-types')).toEqual([
      'input:text',
      'input:text',
      'textarea',
      'input:number',
      'input:text',
      'select',
      'input:number',
      'select',
      'input:number',
      'input:number',
      'input:number',
      'input:text',
      'select', // where it happens
      'input:text', // its link or address
      'textarea', // intake questions
    ]);
    await page.getByLabel('Name', { exact: true }).fill('Deep dive');
    expect(await page.getByLabel(/Web address/).inputValue()).toBe('deep-dive');
    await page.getByLabel(/Length in minutes/).fill('999');
    await page.getByLabel('Currency').selectOption('eur');
    await page.getByLabel(/Price/).fill('150');
    await page.getByRole('button', { name: 'Create session type' }).click();
    await summary.waitFor();
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains('error-summary')),
    ).toBe(true);
    expect(await summary.textContent()).toContain('Choose a length between 5 and 480 minutes.');
    expect(await page.getByLabel('Currency').inputValue()).toBe('eur');
    expect(await page.getByLabel(/Price/).inputValue()).toBe('150');
    expect(await page.getByLabel(/Notice in hours/).inputValue()).toBe('24');
    await checkPage(page, 'coach-session-type-error');
    await page.getByLabel(/Length in minutes/).fill('90');
    await page.getByRole('button', { name: 'Create session type' }).click();
    const link = page.getByRole('link', { name: '/book/deep-dive' }).first();
    await page.getByText('“Deep dive” is ready.').waitFor();
    await checkPage(page, 'coach-session-types');
    await page.getByRole('status').getByRole('link', { name: '/book/deep-dive' }).click();
    await page.waitForURL(/\/book\/deep-dive/);
    expect(await page.getByText('€150.00').count()).toBeGreaterThan(0);
    expect(link).toBeTruthy();
    // Every page load of the hour, counted: login, dashboard ×2, hours ×3, days off ×2, types ×3, booking page.
    expect(loads).toBeLessThanOrEqual(12);
    await context.close();
  });

  it('shows sessions as cards at 390 px, with Cancel on screen', async () => {
    const token = await coachToken(t);
    let slot: { start: string } | undefined;
    for (let d = 2; !slot && d < 10; d++)
      [slot] = await openSlots(t, 'discovery-call', dayFromNow(d));
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('discovery-call', slot!.start, 'kim@example.com', { name: 'Kim Client' }))
      .expect(201);
    expect(token).toBeTruthy();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signInAsCoach(page, t.baseUrl);
    expect(await page.locator('.counts').textContent()).toMatch(/1\s+session coming up/);
    await page.goto(t.baseUrl + '/coach/sessions');
    const cancel = page.getByRole('button', { name: /Cancel Kim Client/ });
    const box = (await cancel.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await checkPage(page, 'coach-sessions-phone');
    await page.goto(t.baseUrl + '/coach/outbox');
    await checkPage(page, 'coach-outbox-phone');
    // Every coach page fits a phone's width (tables scroll inside their box or become cards).
    const wide: string[] = [];
    for (const path of [
      '/coach',
      '/coach/availability',
      '/coach/time-off',
      '/coach/session-types',
      '/coach/settings',
      '/coach/clients',
      '/coach/members',
      '/coach/program',
      '/coach/posts',
      '/coach/comments',
      '/coach/subscribers',
      '/coach/payments',
    ]) {
      await page.goto(t.baseUrl + path);
      if (!(await fitsWidth(page))) wide.push(path);
    }
    expect(wide).toEqual([]);
    await context.close();
  });
});

async function coachToken(t: TestApp): Promise<string> {
  const res = await t
    .http()
    .post('/api/auth/login')
    .send({ email: COACH_EMAIL, password: COACH_PASSWORD })
    .expect(200);
  return res.body.token as string;
}
