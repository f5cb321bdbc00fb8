import sharp from 'sharp';
import { Temporal } from 'temporal-polyfill';
import { Browser, Page } from 'playwright-core';
import {
  closeBrowserApp,
  screenshot,
  scrollsSideways,
  seriousA11yViolations,
  signInAsCoach,
  startBrowserApp,
} from '../support/browser';
import { TestApp } from '../support/app';

jest.setTimeout(240_000);

/**
 * Done when: the coach names her practice, writes her bio, uploads her photo and a cover with its
 * description, schedules a post; after the publish time a visitor sees the name, the responsive
 * cover, the author note and the Open Graph tags; every page stays free of serious axe violations
 * and sideways scrolling at 390 px.
 */
describe('Browser: her site, her words, her pictures', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
  });
  afterAll(() => closeBrowserApp(t, browser));

  async function checkPage(page: Page, name: string): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
    const overflow = await scrollsSideways(page);
    expect({ page: name, overflow }).toEqual({ page: name, overflow: false });
  }

  it('the coach makes the site hers and schedules an illustrated post; a visitor on a phone reads it once it is out', async () => {
    const photo = await sharp({
      create: { width: 600, height: 600, channels: 3, background: '#b5838d' },
    })
      .jpeg()
      .toBuffer();
    const cover = await sharp({
      create: { width: 1800, height: 1000, channels: 3, background: '#6d6875' },
    })
      .png()
      .toBuffer();

    const coachCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await coachCtx.newPage();
    await signInAsCoach(page, t.baseUrl);

    await page.getByRole('link', { name: 'Edit your site' }).click();
    await page.getByRole('heading', { name: 'Your site', level: 1 }).waitFor();
    await checkPage(page, 'coach/site');
    await page.getByLabel('Practice name').fill('Willow Path Coaching');
    await page.getByLabel('Your name').fill('Mara Quinn');
    await page
      .getByLabel(/^Short bio/)
      .fill('Hi, I’m Mara, a trauma recovery coach, educator, and writer.');
    await page
      .getByLabel('Upload a photo')
      .setInputFiles({ name: 'mara.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: 'Save your site' }).click();
    await page.getByText('Saved. Every page now shows it.').waitFor();
    expect(await page.locator('.brand').textContent()).toBe('Willow Path Coaching');
    expect(await page.title()).toBe('Your site · Willow Path Coaching');
    await page.getByAltText('Your current photo').waitFor();

    await page.goto(t.baseUrl + '/coach/posts/new');
    await checkPage(page, 'coach/posts/new');
    await page.getByLabel('Title', { exact: true }).fill('Coming Home to Yourself');
    await page
      .getByLabel(/^Body/)
      .fill('## A small beginning\n\n' + 'Some days the bravest thing is to stay. '.repeat(60));
    await page.getByLabel(/^Tags/).fill('belonging');
    await page
      .getByLabel('Upload a cover')
      .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: cover });
    await page
      .getByLabel(/^Cover description/)
      .fill('A line drawing of a winding path between willow trees');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByAltText('The current cover').waitFor();
    await checkPage(page, 'coach/posts/:id');

    // Schedule it for a minute or two from now, in the coach's own zone (the demo's New York).
    const at = Temporal.Now.instant()
      .add({ seconds: 70 })
      .round({ smallestUnit: 'minute', roundingMode: 'ceil' });
    const local = at
      .toZonedDateTimeISO('America/New_York')
      .toPlainDateTime()
      .toString({ smallestUnit: 'minute' });
    await page.getByLabel(/^Publish later, on/).fill(local);
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText('It will be published on').waitFor();
    await screenshot(page, 'coach-post-scheduled');

    const visitorCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const visitor = await visitorCtx.newPage();
    const before = await visitor.goto(t.baseUrl + '/blog/coming-home-to-yourself');
    expect(before!.status()).toBe(404);

    // After the publish time (the job runs on the queue; the page appears within a few seconds of it).
    const deadline = Date.now() + 200_000;
    for (;;) {
      const res = await visitor.goto(t.baseUrl + '/blog/coming-home-to-yourself');
      if (res!.status() === 200) break;
      if (Date.now() > deadline) throw new Error('The scheduled post was not published');
      await visitor.waitForTimeout(2000);
    }
    expect(Date.now()).toBeGreaterThanOrEqual(at.epochMilliseconds);
    expect(await visitor.locator('.brand').textContent()).toBe('Willow Path Coaching');
    expect(await visitor.title()).toBe('Coming Home to Yourself · Willow Path Coaching');
    const coverImg = visitor.getByAltText('A line drawing of a winding path between willow trees');
    await coverImg.waitFor();
    expect(await coverImg.getAttribute('srcset')).toMatch(/480w, .*960w, .*1600w, .*1800w/);
    expect(await coverImg.getAttribute('sizes')).toBeTruthy();
    expect(await coverImg.getAttribute('width')).toBe('1800');
    expect(await coverImg.getAttribute('height')).toBe('1000');
    // The browser picked a variant for a phone, and actually loaded it.
    const chosen = await coverImg.evaluate((img: HTMLImageElement) => ({
      src: img.currentSrc,
      loaded: img.complete && img.naturalWidth > 0,
    }));
    expect(chosen.loaded).toBe(true);
    expect(chosen.src).toMatch(/\/images\/[0-9a-f-]+\/(480|960|1600)\.webp$/);
    const note = visitor.getByRole('complementary', { name: 'About Mara Quinn' });
    await note.getByText('Hi, I’m Mara, a trauma recovery coach').waitFor();
    await note.getByAltText('Mara Quinn').waitFor();
    await note.getByRole('link', { name: 'Work through The Humble Pie 12 Steps' }).waitFor();
    await note.getByRole('link', { name: 'Book a session' }).waitFor();
    expect(await visitor.locator('meta[property="og:title"]').getAttribute('content')).toBe(
      'Coming Home to Yourself',
    );
    expect(await visitor.locator('meta[property="og:site_name"]').getAttribute('content')).toBe(
      'Willow Path Coaching',
    );
    expect(await visitor.locator('meta[property="og:image"]').getAttribute('content')).toMatch(
      /\/images\/[0-9a-f-]+\/\d+\.png$/,
    );
    expect(await visitor.locator('meta[property="og:image:alt"]').getAttribute('content')).toBe(
      'A line drawing of a winding path between willow trees',
    );
    await checkPage(visitor, '/blog/:slug');
    await screenshot(visitor, 'post-with-cover-phone');

    // The tour: every public page, at 390 px.
    for (const path of [
      '/',
      '/blog',
      '/blog/tag/belonging',
      '/about',
      '/book',
      '/program',
      '/login',
    ]) {
      await visitor.goto(t.baseUrl + path);
      expect(await visitor.locator('.brand').textContent()).toBe('Willow Path Coaching');
      await checkPage(visitor, path);
    }
    await visitor.goto(t.baseUrl + '/');
    await visitor.getByAltText('A line drawing of a winding path between willow trees').waitFor();
    for (const path of ['/coach', '/coach/images', '/coach/posts']) {
      await page.goto(t.baseUrl + path);
      await checkPage(page, path);
    }
    await visitorCtx.close();
    await coachCtx.close();
  });
});
