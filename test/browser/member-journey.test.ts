import { Browser, Page } from 'playwright-core';
import { COACH_EMAIL, COACH_PASSWORD, TestApp } from '../support/app';
import {
  closeBrowserApp,
  screenshot,
  seriousA11yViolations,
  sidewaysElements,
  startBrowserApp,
} from '../support/browser';

jest.setTimeout(120_000);

/**
 * Issue 15's member journey at phone width, as a new member in London reading en-GB: from the
 * public program page through sign-up (which returns her to the enroll button), the test-mode
 * payment, the first step, a reflection and its completion (acknowledged). Every page is axe
 * clean, never scrolls sideways, never answers 5xx and never says "UTC"; the page loads and
 * form submissions are counted so that a detour added later shows.
 */
describe('Browser: a new member from the program page to a completed first step', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
  });
  afterAll(() => closeBrowserApp(t, browser));

  /** `readBy: 'coach'` for the coach's own pages (the payments list still gives its times in UTC). */
  async function checkPage(page: Page, readBy: 'member' | 'coach' = 'member'): Promise<string> {
    await page.waitForLoadState('load');
    const text = await page.evaluate(() => document.body.innerText);
    if (readBy === 'member') expect(text).not.toContain('UTC');
    const wide = await sidewaysElements(page);
    expect({ url: page.url(), wide }).toEqual({ url: page.url(), wide: [] });
    expect(await seriousA11yViolations(page)).toEqual([]);
    return text;
  }

  it('signs up from the program page, pays, reflects on step 1 and completes it', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      timezoneId: 'Europe/London',
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const loads: string[] = [];
    const submissions: string[] = [];
    const failures: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads.push(frame.url());
    });
    page.on('request', (r) => {
      if (r.isNavigationRequest() && r.method() === 'POST') submissions.push(r.url());
    });
    page.on('response', (r) => {
      if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`);
    });

    // 1. The public program page: a way in for someone without an account.
    await page.goto(t.baseUrl + '/program');
    await checkPage(page);
    await page.getByRole('link', { name: 'Create an account to enroll' }).click();

    // 2. Sign-up, then straight back to the program's enroll button.
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await checkPage(page);
    await page.getByLabel('Your name').fill('Morgan Member');
    await page.getByLabel('Email').fill('morgan@example.com');
    await page.getByLabel(/^Password/).fill('morgan-password-1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/program$/);
    await checkPage(page);

    // 3. Enroll and pay in local test mode.
    await page.getByRole('button', { name: /^Enroll for / }).click();
    await page.waitForURL(/\/checkout\/test\//);
    await checkPage(page);
    await screenshot(page, 'member-test-checkout');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('heading', { name: 'Payment received' }).waitFor();
    await checkPage(page);
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(/\/program\/steps$/);
    await page.getByText('0 of 12 steps completed').waitFor();
    await checkPage(page);
    const [enrollment] = await t.dataSource.query(
      `SELECT e.status FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = 'morgan@example.com'`,
    );
    expect(enrollment.status).toBe('active');

    // 4. The first step: a reflection saved, then the step completed and acknowledged.
    await page.getByRole('link', { name: /Step 1:/ }).click();
    await page.waitForURL(/\/program\/steps\/1$/);
    await checkPage(page);
    const reflection = 'I arrived here on a phone, and that was enough for today.';
    await page.getByLabel(/Write as much or as little/).fill(reflection);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Your reflection is saved.').waitFor();
    await checkPage(page);
    expect(await page.getByLabel(/Write as much or as little/).inputValue()).toBe(reflection);
    await page.getByRole('button', { name: 'Save and mark step complete' }).click();
    await page.waitForURL(/\/program\/steps(\/2\?opened=1|\?completed=1)$/);
    const done = await checkPage(page);
    expect(done).toMatch(
      /Step 1 is complete\. Well done\.|Step 2 is open\. Well done on the last one\./,
    );
    await screenshot(page, 'member-step-1-complete');
    if (page.url().endsWith('?completed=1')) expect(done).toContain('1 of 12 steps completed');

    // The counts: program, sign-up, program, checkout, paid, steps, step 1, saved, completed.
    expect(loads.map((u) => new URL(u).pathname)).toEqual([
      '/program',
      '/signup',
      '/program',
      expect.stringMatching(/^\/checkout\/test\//),
      '/checkout/success',
      '/program/steps',
      '/program/steps/1',
      '/program/steps/1',
      expect.stringMatching(/^\/program\/steps(\/2)?$/),
    ]);
    // Sign-up, enroll, pay, save, complete: five forms and no more.
    expect(submissions).toHaveLength(5);
    expect(failures).toEqual([]);

    const steps: { step: number; completed: boolean }[] = await t.dataSource.query(
      `SELECT s.step, s.completed_at IS NOT NULL AS completed FROM enrollment_steps s JOIN enrollments e ON e.id = s.enrollment_id JOIN users u ON u.id = e.user_id WHERE u.email = 'morgan@example.com' AND s.step = 1`,
    );
    expect(steps).toEqual([{ step: 1, completed: true }]);
    await context.close();
  });

  it('the coach finds the new member, her payment and the posts as cards on a 358 px phone, and writes a post there', async () => {
    const context = await browser.newContext({ viewport: { width: 358, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/login?next=${encodeURIComponent('/coach/members')}`);
    await page.getByLabel('Email').fill(COACH_EMAIL);
    await page.getByLabel('Password').fill(COACH_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/coach\/members$/);
    for (const [path, expected] of [
      ['/coach/members', 'morgan@example.com'],
      ['/coach/payments', 'morgan@example.com'],
      ['/coach/posts', 'Published'],
    ]) {
      if (!page.url().endsWith(path)) await page.goto(t.baseUrl + path);
      const text = await checkPage(page, 'coach');
      expect(text).toContain(expected);
      // Cards: each row is a block within the screen (checkPage found nothing off screen).
      const table = page.locator('table.cards');
      expect(await table.count()).toBe(1);
      const row = page.locator('table.cards tbody tr').first();
      expect(await row.evaluate((e) => getComputedStyle(e).display)).toBe('block');
      await screenshot(page, `coach-cards${path.replace(/\//g, '-')}`);
    }

    // From the same phone: a post with a bad address comes back with the summary focused and the
    // text kept; fixed, it saves with a notice linking to it, and publishing links to the post.
    await page.goto(t.baseUrl + '/coach/posts/new');
    await page.locator('#title').fill('Welcome, new members');
    await page.locator('#slug').fill('Welcome Members!');
    await page.locator('#body').fill('Glad you are here.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await checkPage(page, 'coach');
    expect(
      await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary')),
    ).toBe(true);
    await page.getByRole('link', { name: /^The address may hold only/ }).waitFor();
    expect(await page.locator('#body').inputValue()).toBe('Glad you are here.');
    await screenshot(page, 'coach-post-editor-error');
    await page.locator('#slug').fill('welcome-members');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    await page.getByRole('link', { name: 'See it as readers will' }).first().waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText('Published.').waitFor();
    await checkPage(page, 'coach');
    await page.getByRole('link', { name: 'View the post' }).click();
    await page.waitForURL(/\/blog\/welcome-members$/);
    await context.close();
  });
});
