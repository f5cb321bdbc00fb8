import { Browser } from 'playwright-core';
import {
  closeBrowserApp,
  screenshot,
  scrollsSideways,
  seriousA11yViolations,
  startBrowserApp,
} from '../support/browser';
import { COACH_EMAIL, COACH_PASSWORD, TestApp } from '../support/app';

describe('Browser: the page shell and signing in', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp());
  });
  afterAll(() => closeBrowserApp(t, browser));

  it('renders the home page accessibly, on a phone too', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(t.baseUrl + '/');
    await page.getByRole('heading', { level: 1, name: 'Repair over perfection.' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const overflow = await scrollsSideways(page);
    expect(overflow).toBe(false);
    await screenshot(page, 'home-phone');
    await page.close();
  });

  it('signs the coach in through the login form and out again', async () => {
    const page = await browser.newPage();
    await page.goto(t.baseUrl + '/login');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill(COACH_EMAIL);
    await page.getByLabel('Password').fill('wrong-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/don’t match/);
    await page.getByLabel('Password').fill(COACH_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/coach$/);
    await page.getByRole('heading', { name: 'Your practice' }).waitFor();
    await screenshot(page, 'coach-dashboard');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(t.baseUrl + '/');
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.close();
  });

  it('signs up a new member through the form', async () => {
    const page = await browser.newPage();
    await page.goto(t.baseUrl + '/signup');
    await page.getByLabel('Your name').fill('Robin');
    await page.getByLabel('Email').fill('robin@example.com');
    await page.getByLabel(/Password/).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page
      .getByRole('link', { name: 'Choose a password of at least 10 characters.' })
      .waitFor();
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains('error-summary')),
    ).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel(/Password/).fill('a-good-long-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/account$/);
    await page.getByText('robin@example.com', { exact: true }).waitFor();
    await screenshot(page, 'account');
    await page.close();
  });
});
