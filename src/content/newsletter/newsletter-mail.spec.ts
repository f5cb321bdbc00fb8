import { escapeHtml, newsletterHtml } from './newsletter-mail';

describe('newsletter mail HTML', () => {
  it('escapes the title and links, and keeps the sanitised body', () => {
    const html = newsletterHtml('<b>Tom</b> & "Jerry"', '<p>Hi</p>', 'https://m.example/blog/a?x=1&y="2"', 'https://m.example/u?token=a.b');
    expect(html).toContain('<h1 style="font-family:system-ui,sans-serif;font-size:26px;line-height:1.25">&lt;b&gt;Tom&lt;/b&gt; &amp; &quot;Jerry&quot;</h1>');
    expect(html).toContain('<p>Hi</p>');
    expect(html).toContain('href="https://m.example/blog/a?x=1&amp;y=&quot;2&quot;"');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });
});
