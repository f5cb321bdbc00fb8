import { Browser, Page } from 'playwright-core';
import {
  closeBrowserApp,
  screenshot,
  scrollsSideways,
  seriousA11yViolations,
  startBrowserApp,
} from '../support/browser';
import { COACH_EMAIL, COACH_PASSWORD, loginAs, signup, TestApp } from '../support/app';

describe('Browser: the 12 Steps', () => {
  let t: TestApp;
  let browser: Browser;

  async function signIn(page: Page, email: string, password: string, next = ''): Promise<void> {
    await page.goto(`${t.baseUrl}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp());
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    await t
      .http()
      .patch('/api/program')
      .set('authorization', `Bearer ${coach}`)
      .send({ dripDays: 0 })
      .expect(200);
  });
  afterAll(() => closeBrowserApp(t, browser));

  it('shows the public program page with its steps and a sign-in-to-enroll button', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(t.baseUrl + '/program');
    await page.getByRole('heading', { level: 1, name: 'The Humble Pie 12 Steps' }).waitFor();
    expect(
      await page
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { level: 3 }) })
        .count(),
    ).toBe(12);
    await page.getByRole('link', { name: 'Sign in to enroll' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'program-public-phone');
    await page.close();
  });

  it('enrolls and pays in local test mode, reflects, completes step 1 and finds step 2 open', async () => {
    await signup(t, 'payer@example.com', 'Pat', 'payer-password-1');
    const page = await browser.newPage();
    await signIn(page, 'payer@example.com', 'payer-password-1', '/program');
    await page.waitForURL(/\/program$/);
    await page.getByRole('button', { name: /Enroll for \$199\.00/ }).click();
    await page.waitForURL(/\/checkout\/test\//);
    await page
      .getByText(/no money moves/i)
      .first()
      .waitFor();
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(/\/checkout\/success/);
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.waitForURL(/\/program\/steps$/);
    await page.getByText('0 of 12 steps completed').waitFor();
    await page.getByRole('link', { name: /Step 1:/ }).click();
    await page.getByLabel(/Write as much or as little/).fill('I paid, I arrived, I wrote.');
    await page.getByRole('button', { name: 'Save and mark step complete' }).click();
    await page.waitForURL(/\/program\/steps\/2\?opened=1$/);
    await page.getByText('Step 2 is open').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.close();
  });

  it('lets a member the coach enrolled reflect, complete step 1 and find step 2 open', async () => {
    await signup(t, 'walk@example.com', 'Wren', 'walk-password-1');
    const coachPage = await browser.newPage();
    await signIn(coachPage, COACH_EMAIL, COACH_PASSWORD, '/coach/members');
    await coachPage.waitForURL(/\/coach\/members$/);
    await coachPage.getByLabel('Their email').fill('walk@example.com');
    await coachPage.getByRole('button', { name: 'Enroll' }).click();
    await coachPage.getByText('Enrolled.').waitFor();
    expect(await seriousA11yViolations(coachPage)).toEqual([]);
    await coachPage.getByRole('cell', { name: /walk@example.com/ }).waitFor();

    const page = await browser.newPage();
    await signIn(page, 'walk@example.com', 'walk-password-1', '/program/steps');
    await page.waitForURL(/\/program\/steps$/);
    await page.getByText('0 of 12 steps completed').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Step 1:/ }).click();
    await page.waitForURL(/\/program\/steps\/1$/);
    // Private by default: nothing to share until a reflection is saved.
    await page.getByText(/Only you\. Once you have saved a reflection/).waitFor();
    await page
      .getByLabel(/Write as much or as little/)
      .fill('Today I noticed I was tired, and that was allowed.');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'program-step-1');
    await page.getByRole('button', { name: 'Save and mark step complete' }).click();
    await page.waitForURL(/\/program\/steps\/2\?opened=1$/);
    await page.getByText('Step 2 is open').waitFor();
    await page.goto(t.baseUrl + '/program/steps/1');
    expect(await page.getByLabel(/Write as much or as little/).inputValue()).toBe(
      'Today I noticed I was tired, and that was allowed.',
    );
    await page.goto(t.baseUrl + '/program/steps');
    await page.getByText('1 of 12 steps completed').waitFor();
    await screenshot(page, 'program-steps-overview');

    // Share step 1's reflection: its own action, confirmed by a ticked box. The coach sees it, and only it.
    await page.goto(t.baseUrl + '/program/steps/1');
    await page.getByLabel(/I want my coach to read this reflection/).check();
    await page.getByRole('button', { name: 'Share with my coach' }).click();
    await page.getByText('Shared. Your coach can read this reflection now.').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await coachPage.goto(t.baseUrl + '/coach/members');
    await coachPage.getByRole('link', { name: '1 shared' }).click();
    await coachPage.getByText('Today I noticed I was tired').waitFor();
    expect(await seriousA11yViolations(coachPage)).toEqual([]);
    await screenshot(coachPage, 'coach-member-shared');
    await page.close();
    await coachPage.close();
  });

  it('autosaves a reflection while the member types (with JavaScript)', async () => {
    await signup(t, 'auto@example.com', 'Ada', 'auto-password-1');
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    await t
      .http()
      .post('/api/program/enrollments/grant')
      .set('authorization', `Bearer ${coach}`)
      .send({ email: 'auto@example.com' })
      .expect(201);
    const page = await browser.newPage();
    await signIn(page, 'auto@example.com', 'auto-password-1', '/program/steps/1');
    await page.waitForURL(/\/program\/steps\/1$/);
    await page.getByLabel(/Write as much or as little/).fill('Typed, never submitted.');
    await page.getByText(/^Saved \d/).waitFor();
    await page.reload();
    expect(await page.getByLabel(/Write as much or as little/).inputValue()).toBe(
      'Typed, never submitted.',
    );
    // Autosave never shares: the reflection is still private.
    await page.getByText('Only you.', { exact: true }).waitFor();
    expect(await page.getByLabel(/I want my coach to read this reflection/).isChecked()).toBe(
      false,
    );
    await page.close();
  });

  it('lets the coach edit a step in the program editor, keeping input on a validation error', async () => {
    const page = await browser.newPage();
    await signIn(page, COACH_EMAIL, COACH_PASSWORD, '/coach/program');
    await page.waitForURL(/\/coach\/program$/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Step 3:/ }).click();
    await page.waitForURL(/\/coach\/program\/steps\/3$/);
    await page.getByLabel('Title').fill('');
    await page.getByLabel(/Body/).fill('A **new** body <script>alert(1)</script>');
    await page.getByRole('button', { name: 'Save step' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel(/Body/).inputValue()).toBe(
      'A **new** body <script>alert(1)</script>',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Title').fill('Stories, gently');
    await page.getByRole('button', { name: 'Save step' }).click();
    await page.getByText('Saved.').waitFor();
    await page.goto(t.baseUrl + '/program');
    await page.getByRole('heading', { level: 3, name: 'Step 3: Stories, gently' }).waitFor();
    await screenshot(page, 'coach-program-public-after-edit');
    await page.close();
  });

  it('keeps every character of an over-long reflection after the validation error (no JavaScript)', async () => {
    await signup(t, 'long@example.com', 'Lou', 'long-password-1');
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    await t
      .http()
      .post('/api/program/enrollments/grant')
      .set('authorization', `Bearer ${coach}`)
      .send({ email: 'long@example.com' })
      .expect(201);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'long@example.com', 'long-password-1', '/program/steps/1');
    await page.waitForURL(/\/program\/steps\/1$/);
    const text = 'word '.repeat(4001) + 'end';
    await page.getByLabel(/Write as much or as little/).fill(text);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/Nothing was lost/);
    expect(await page.getByLabel(/Write as much or as little/).inputValue()).toBe(text);
    await context.close();
  });
});
