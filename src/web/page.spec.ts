import { safeNext } from './page';

describe('safeNext (no open redirects after sign-in)', () => {
  it.each([
    ['/account', '/account'],
    ['/book/discovery?tz=Europe%2FLondon', '/book/discovery?tz=Europe%2FLondon'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['javascript:alert(1)', '/'],
    [undefined, '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});
