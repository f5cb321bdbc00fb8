import { absolutizeLinks, escapeHtml, newsletterHtml } from './newsletter-mail';

describe('newsletter mail HTML', () => {
  it('escapes the title and links, and keeps the sanitised body', () => {
    const html = newsletterHtml(
      '<b>Tom</b> & "Jerry"',
      '<p>Hi</p>',
      'https://m.example/blog/a?x=1&y="2"',
      'https://m.example/u?token=a.b',
    );
    expect(html).toContain(
      '<h1 style="font-family:system-ui,sans-serif;font-size:26px;line-height:1.25">&lt;b&gt;Tom&lt;/b&gt; &amp; &quot;Jerry&quot;</h1>',
    );
    expect(html).toContain('<p>Hi</p>');
    expect(html).toContain('href="https://m.example/blog/a?x=1&amp;y=&quot;2&quot;"');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('makes site-relative links absolute and leaves others alone', () => {
    expect(
      absolutizeLinks(
        '<a href="/book">b</a> <img src="/public/x.png" /> <a href="https://e.co/x">e</a> <a href="//evil">p</a>',
        'https://m.example',
      ),
    ).toBe(
      '<a href="https://m.example/book">b</a> <img src="https://m.example/public/x.png" /> <a href="https://e.co/x">e</a> <a href="//evil">p</a>',
    );
  });
});
