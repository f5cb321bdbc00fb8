import { Browser } from 'playwright-core';
import {
  closeBrowserApp,
  screenshot,
  scrollsSideways,
  seriousA11yViolations,
  signInAsCoach,
  startBrowserApp,
} from '../support/browser';
import { signup, TestApp } from '../support/app';

describe('Browser: writing, commenting and moderating', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, browser } = await startBrowserApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
  });
  afterAll(() => closeBrowserApp(t, browser));

  it('the coach publishes a post, a visitor comments, the coach approves and the comment shows', async () => {
    const coach = await browser.newContext();
    const page = await coach.newPage();
    await signInAsCoach(page, t.baseUrl);
    await page.getByRole('link', { name: 'Your posts' }).click();
    await page.getByRole('heading', { name: 'Posts', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Repair Over Perfection' }).count()).toBe(1); // demo content
    await page.getByRole('link', { name: 'Write a new post' }).click();

    await page.getByLabel('Title', { exact: true }).fill('Small Steps Count');
    await page
      .getByLabel(/^Body/)
      .fill('## Begin gently\n\nOne breath, then *another*.\n\n<script>alert(1)</script>');
    await page.getByLabel(/^Tags/).fill('rest, beginnings');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Preview' }).waitFor();
    expect(await page.locator('.preview .post-body h2').textContent()).toBe('Begin gently');
    expect(await page.locator('.preview script').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'coach-post-preview');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByLabel('Mail it to confirmed subscribers').check();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('link', { name: 'View on the site' }).waitFor();

    // A visitor (no account) reads and comments.
    const visitor = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const reader = await visitor.newPage();
    await reader.goto(t.baseUrl + '/blog');
    await reader.getByRole('link', { name: 'Small Steps Count' }).click();
    await reader.getByRole('heading', { level: 1, name: 'Small Steps Count' }).waitFor();
    expect(await reader.locator('.post-body em').textContent()).toBe('another');
    expect(await seriousA11yViolations(reader)).toEqual([]);
    await reader.getByLabel('Your name').fill('Robin');
    await reader.getByLabel(/^Your comment/).fill('This was what I needed today.\nThank you.');
    await reader.getByRole('button', { name: 'Send comment' }).click();
    await reader.getByText('waiting for the coach').waitFor();
    expect(await reader.getByText('This was what I needed today.').count()).toBe(0);
    await screenshot(reader, 'post-comment-pending');

    // The coach approves it.
    await page.goto(t.baseUrl + '/coach/comments');
    const card = page.getByRole('article', { name: 'Comment by Robin' });
    await card.getByText('This was what I needed today.').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Waiting for you (0)' }).waitFor();

    await reader.reload();
    await reader.getByText('This was what I needed today.').waitFor();
    await reader.getByRole('heading', { name: '1 comment' }).waitFor();
    const overflow = await scrollsSideways(reader);
    expect(overflow).toBe(false);
    expect(await seriousA11yViolations(reader)).toEqual([]);
    await screenshot(reader, 'post-with-comment-phone');
    await visitor.close();
    await coach.close();
  });

  it('a signed-in reader rates a post with the star form', async () => {
    const token = await signup(t, 'stars@example.com', 'Starry');
    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: 'mend_session', value: token, url: t.baseUrl }]);
    const page = await ctx.newPage();
    await page.goto(t.baseUrl + '/blog/repair-over-perfection');
    await page.getByLabel('4 stars').check();
    await page.getByRole('button', { name: 'Save rating' }).click();
    await page.getByText('Thank you for rating this post.').waitFor();
    expect(await page.locator('#rating').textContent()).toContain('4 of 5 stars from 1 reader');
    expect(await page.getByLabel('4 stars').isChecked()).toBe(true);
    await ctx.close();
  });

  it('subscribes from the newsletter box and stays where the reader was', async () => {
    const page = await browser.newPage();
    await page.goto(t.baseUrl + '/blog');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.getByText('Please check your email: one click').isVisible()).toBe(false);
    await page.getByLabel('Your email').fill('box@example.com');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('Please check your email: one click').waitFor();
    expect(new URL(page.url()).pathname).toBe('/blog');
    expect(new URL(page.url()).hash).toBe('#subscribed');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const [row] = await t.dataSource.query(
      `SELECT status FROM newsletter_subscribers WHERE email = 'box@example.com'`,
    );
    expect(row.status).toBe('pending');
    await page.close();
  });

  it('serves RSS and a sitemap that a real XML parser (Chromium’s DOMParser) accepts', async () => {
    const page = await browser.newPage();
    await page.goto(t.baseUrl + '/blog');
    const result = await page.evaluate(async () => {
      const parse = async (path: string) =>
        new DOMParser().parseFromString(await (await fetch(path)).text(), 'application/xml');
      const rss = await parse('/feed.xml');
      const sitemap = await parse('/sitemap.xml');
      return {
        rssErrors: rss.getElementsByTagName('parsererror').length,
        root: rss.documentElement.nodeName,
        version: rss.documentElement.getAttribute('version'),
        channelTitle: rss.querySelector('channel > title')?.textContent,
        channelLink: rss.querySelector('channel > link')?.textContent,
        items: [...rss.querySelectorAll('channel > item')].map((i) => ({
          title: i.querySelector('title')?.textContent,
          link: i.querySelector('link')?.textContent,
          pubDate: i.querySelector('pubDate')?.textContent,
          content:
            i.getElementsByTagNameNS('http://purl.org/rss/1.0/modules/content/', 'encoded')[0]
              ?.textContent ?? '',
        })),
        sitemapErrors: sitemap.getElementsByTagName('parsererror').length,
        locs: [...sitemap.getElementsByTagName('loc')].map((l) => l.textContent),
      };
    });
    expect(result.rssErrors).toBe(0);
    expect(result.root).toBe('rss');
    expect(result.version).toBe('2.0');
    expect(result.channelTitle).toBe('Steady Ground Coaching — writing');
    expect(result.channelLink).toMatch(/\/blog$/);
    expect(result.items.map((i) => i.title)).toEqual(
      expect.arrayContaining([
        'Repair Over Perfection',
        'Rest Is Not a Reward',
        'Small Steps Count',
      ]),
    );
    for (const item of result.items) {
      expect(item.link).toMatch(/^https?:\/\/[^/]+\/blog\/[a-z0-9-]+$/);
      expect(Number.isNaN(Date.parse(item.pubDate ?? ''))).toBe(false);
      expect(item.content).not.toMatch(/<script/i);
    }
    // The escaped HTML comes back out of the XML as the post's HTML.
    expect(result.items.find((i) => i.title === 'Small Steps Count')?.content).toContain(
      '<em>another</em>',
    );
    expect(result.sitemapErrors).toBe(0);
    expect(result.locs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/blog\/small-steps-count$/),
        expect.stringMatching(/\/blog$/),
      ]),
    );
    await page.close();
  });

  it('keeps the coach’s post list and subscriber pages accessible', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signInAsCoach(page, t.baseUrl);
    for (const path of ['/coach/posts', '/coach/subscribers']) {
      await page.goto(t.baseUrl + path);
      expect(await seriousA11yViolations(page)).toEqual([]);
    }
    await screenshot(page, 'coach-subscribers');
    await ctx.close();
  });
});
