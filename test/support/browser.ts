import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { COACH_EMAIL, COACH_PASSWORD, startTestApp, TestApp, TestAppOptions } from './app';

export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/** Debian's Chromium (never a downloaded browser), headless, with no background networking. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A listening test app (`startTestApp` with `listen: true`) and Chromium, for a browser test's
 * `beforeAll`; `closeBrowserApp` in its `afterAll` closes both.
 */
export async function startBrowserApp(
  options: TestAppOptions = {},
): Promise<{ t: TestApp; browser: Browser }> {
  const t = await startTestApp({ ...options, listen: true });
  try {
    return { t, browser: await launchBrowser() };
  } catch (e) {
    await t.close();
    throw e;
  }
}

/** Closes what `startBrowserApp` started (either may be missing if it failed). */
export async function closeBrowserApp(t?: TestApp, browser?: Browser): Promise<void> {
  await browser?.close();
  await t?.close();
}

/** Signs the coach in through the sign-in form, as she would, and waits for her dashboard. */
export async function signInAsCoach(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl + '/login');
  await page.getByLabel('Email').fill(COACH_EMAIL);
  await page.getByLabel('Password').fill(COACH_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/coach$/);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Whether the page is wider than its window (its reader would scroll sideways). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/** When the page scrolls sideways, the first five elements that stick out ("TAG.class"); else []. */
export function sidewaysElements(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    document.documentElement.scrollWidth > window.innerWidth
      ? [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .map((e) => `${e.tagName}.${e.className}`)
          .slice(0, 5)
      : [],
  );
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.1 A/AA rules) in the page; returns serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source); // through DevTools, so the page's CSP (no inline scripts) stays on
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
    };
    const result = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
