import fc from 'fast-check';
import { firstFreeSlug, slugify, SLUG_PATTERN } from './slug';

describe('slugify', () => {
  it('makes readable slugs', () => {
    expect(slugify('Repair Over Perfection')).toBe('repair-over-perfection');
    expect(slugify('  What “safe” feels like — a note  ')).toBe('what-safe-feels-like-a-note');
    expect(slugify('Café & crème brûlée')).toBe('cafe-creme-brulee');
    expect(slugify('It’s okay to rest')).toBe('its-okay-to-rest');
    expect(slugify('!!!')).toBe('post');
  });

  it('always yields a valid slug of bounded length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const slug = slugify(s);
        expect(slug).toMatch(SLUG_PATTERN);
        expect(slug.length).toBeLessThanOrEqual(80);
      }),
    );
  });
});

describe('firstFreeSlug', () => {
  it('suffixes a number when taken', () => {
    expect(firstFreeSlug('a', new Set())).toBe('a');
    expect(firstFreeSlug('a', new Set(['a', 'a-2']))).toBe('a-3');
  });
});
