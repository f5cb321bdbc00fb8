import { safeNext } from './redirect-target';

describe('safeNext: one check for redirect targets', () => {
  it.each([
    ['/account', '/account'],
    ['/book/discovery?tz=Europe%2FLondon', '/book/discovery?tz=Europe%2FLondon'],
    ['/a/b?c=d#e', '/a/b?c=d#e'],
  ])('keeps the same-site path %s', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });

  it.each([
    '/\t/evil.com',
    '/\n/evil.com',
    '/\r/evil.com',
    '/ /evil.com',
    '/\u0000',
    '/\u007f',
    '//evil.com',
    '/\\evil.com',
    '/a\\b',
    'https://evil.com',
    'javascript:alert(1)',
    'evil.com',
    '',
    '/caf\u00e9',
    '/\u2028x',
    '/\ud800',
    '/' + 'a'.repeat(2001),
  ])('refuses %j', (input) => {
    expect(safeNext(input, '/fallback')).toBe('/fallback');
  });

  it('refuses non-strings', () => {
    expect(safeNext(['/a'], '/f')).toBe('/f');
    expect(safeNext(undefined, '/f')).toBe('/f');
  });
});
