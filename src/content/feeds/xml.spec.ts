import { escapeXml, renderRss, renderSitemap } from './xml';

describe('escapeXml', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\u0008ok`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;ok',
    );
  });
});

describe('renderRss', () => {
  const xml = renderRss({
    title: 'Mend & friends',
    link: 'https://mend.example/blog',
    selfLink: 'https://mend.example/feed.xml',
    description: 'Writing',
    language: 'en',
    items: [
      {
        title: 'Tom & <Jerry>',
        link: 'https://mend.example/blog/tom?x=1&y=2',
        guid: 'mend-post-1',
        description: 'A ]]> trick <script>',
        contentHtml: '<p>Hi &amp; bye</p>',
        publishedAt: new Date('2026-11-01T10:00:00Z'),
        categories: ['rest & repair'],
      },
    ],
  });

  it('escapes every value', () => {
    expect(xml).toContain('<title>Tom &amp; &lt;Jerry&gt;</title>');
    expect(xml).toContain('<link>https://mend.example/blog/tom?x=1&amp;y=2</link>');
    expect(xml).toContain('<description>A ]]&gt; trick &lt;script&gt;</description>');
    expect(xml).toContain('<content:encoded>&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</content:encoded>');
    expect(xml).toContain('<category>rest &amp; repair</category>');
    expect(xml).toContain('<pubDate>Sun, 01 Nov 2026 10:00:00 GMT</pubDate>');
    expect(xml).not.toMatch(/<script/);
  });

  it('has balanced tags (a well-formedness smoke check)', () => {
    const tags = [...xml.matchAll(/<(\/?)([a-zA-Z:]+)[^>]*?(\/?)>/g)].filter(
      (m) => !m[0].startsWith('<?'),
    );
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of tags) {
      if (selfClosing) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
  });
});

describe('renderSitemap', () => {
  it('lists escaped URLs', () => {
    const xml = renderSitemap([
      { loc: 'https://m.example/a?b=1&c=2', lastmod: new Date('2026-01-01T00:00:00Z') },
    ]);
    expect(xml).toContain(
      '<loc>https://m.example/a?b=1&amp;c=2</loc><lastmod>2026-01-01T00:00:00.000Z</lastmod>',
    );
  });
});
