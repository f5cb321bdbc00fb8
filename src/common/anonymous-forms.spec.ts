import { anonymousFormNeedsNoToken } from './anonymous-forms';

describe('anonymous forms of shared pages', () => {
  const base = 'https://coach.example';
  const req = (path: string, headers: Record<string, string> = {}, hasSessionCookie = false) => ({
    path,
    headers: { host: 'coach.example', ...headers },
    hasSessionCookie,
  });

  it('lets a same-site anonymous comment, rating or subscription through without a token', () => {
    expect(anonymousFormNeedsNoToken(req('/blog/a-post/comments'), base)).toBe(true);
    expect(
      anonymousFormNeedsNoToken(
        req('/blog/a-post/rating', { origin: base, 'sec-fetch-site': 'same-origin' }),
        base,
      ),
    ).toBe(true);
    expect(
      anonymousFormNeedsNoToken(
        req('/newsletter/subscribe', { origin: 'http://coach.example' }),
        base,
      ),
    ).toBe(true); // same host behind a proxy
    // What Chromium sends for a same-origin form post under Referrer-Policy: no-referrer.
    expect(
      anonymousFormNeedsNoToken(
        req('/newsletter/subscribe', { origin: 'null', 'sec-fetch-site': 'same-origin' }),
        base,
      ),
    ).toBe(true);
  });

  it('requires the token with a session cookie, from another site, or on any other form', () => {
    expect(anonymousFormNeedsNoToken(req('/blog/a-post/comments', {}, true), base)).toBe(false);
    expect(
      anonymousFormNeedsNoToken(
        req('/blog/a-post/comments', { origin: 'https://evil.example' }),
        base,
      ),
    ).toBe(false);
    expect(
      anonymousFormNeedsNoToken(
        req('/blog/a-post/comments', { origin: 'null', 'sec-fetch-site': 'cross-site' }),
        base,
      ),
    ).toBe(false);
    expect(
      anonymousFormNeedsNoToken(
        req('/blog/a-post/comments', { origin: base, 'sec-fetch-site': 'cross-site' }),
        base,
      ),
    ).toBe(false);
    expect(
      anonymousFormNeedsNoToken(
        req('/blog/a-post/comments', { 'sec-fetch-site': 'cross-site' }),
        base,
      ),
    ).toBe(false);
    expect(
      anonymousFormNeedsNoToken(
        req('/blog/a-post/comments', { 'sec-fetch-site': 'same-site' }),
        base,
      ),
    ).toBe(false);
    for (const path of [
      '/login',
      '/signup',
      '/password-reset',
      '/logout',
      '/book/intro/details',
      '/blog/a/comments/x',
      '/account/delete',
    ]) {
      expect(anonymousFormNeedsNoToken(req(path), base)).toBe(false);
    }
  });
});
