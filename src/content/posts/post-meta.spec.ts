import { blogPosting, jsonForScript, readingMinutes } from './post-meta';

describe('jsonForScript', () => {
  it('cannot end its script block, and parses back to the same value', () => {
    const value = { headline: '</script><script>alert(1)</script> <!-- & \u2028' };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/<|>/);
    expect(out.toLowerCase()).not.toContain('</script');
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe('readingMinutes', () => {
  it('counts words in the text, not the markup', () => {
    expect(readingMinutes('<p>short</p>')).toBe(1);
    expect(readingMinutes(`<p>${'word '.repeat(1100)}</p>`)).toBe(5);
  });
});

describe('blogPosting', () => {
  it('names the author and publisher and leaves out what is unknown', () => {
    const ld = blogPosting({
      url: 'https://x.test/blog/a',
      title: 'A',
      description: 'd',
      publishedAt: null,
      updatedAt: '2026-12-01T00:00:00.000Z',
      tags: [],
      image: null,
      authorName: 'Ruth',
      authorUrl: 'https://x.test/about',
      publisherName: 'Steady',
      publisherUrl: 'https://x.test/',
    });
    expect(ld).toMatchObject({
      '@type': 'BlogPosting',
      headline: 'A',
      author: { name: 'Ruth' },
      publisher: { name: 'Steady' },
    });
    expect(ld).not.toHaveProperty('image');
    expect(ld).not.toHaveProperty('datePublished');
  });
});
