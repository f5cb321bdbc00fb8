import {
  PageStore,
  etagFor,
  etagMatches,
  hasSessionCookie,
  publicCacheKey,
} from './public-cache.rules';

describe('public cache rules', () => {
  const get = (url: string, headers: Record<string, string> = {}) => ({
    method: 'GET',
    url,
    headers,
  });

  it('keys only anonymous GETs of the public pages', () => {
    for (const url of [
      '/',
      '/about',
      '/blog',
      '/blog?page=2',
      '/blog/tag/rest',
      '/blog/some-post',
      '/feed.xml',
      '/sitemap.xml',
      '/book',
      '/api/session-types',
    ]) {
      expect(publicCacheKey(get(url))).toBe(`en-GB ${url}`);
    }
    for (const url of [
      '/blog/some-post/comments',
      '/book/intro',
      '/account',
      '/coach',
      '/api/posts',
      '/blog/tag',
      '/login',
      '/program',
    ]) {
      expect(publicCacheKey(get(url))).toBeNull();
    }
    expect(publicCacheKey({ method: 'POST', url: '/blog', headers: {} })).toBeNull();
    expect(publicCacheKey({ method: 'HEAD', url: '/blog', headers: {} })).toBeNull();
    expect(publicCacheKey(get('/blog', { cookie: 'mend_csrf=x; mend_session=abc' }))).toBeNull();
    expect(publicCacheKey(get('/blog', { authorization: 'Bearer abc' }))).toBeNull();
    expect(publicCacheKey(get('/blog', { cookie: 'mend_csrf=x' }))).toBe('en-GB /blog');
  });

  it('keeps a page per language the pages are formatted in', () => {
    expect(publicCacheKey(get('/blog', { 'accept-language': 'en-US,en;q=0.9' }))).toBe(
      'en-US /blog',
    );
    expect(publicCacheKey(get('/blog', { 'accept-language': 'de-DE, fr' }))).toBe('en-GB /blog');
  });

  it('recognises the session cookie only by its exact name', () => {
    expect(hasSessionCookie('mend_session=1')).toBe(true);
    expect(hasSessionCookie(['a=1', 'mend_session=2'])).toBe(true);
    expect(hasSessionCookie('not_mend_session=1; x=mend_session=')).toBe(false);
    expect(hasSessionCookie(undefined)).toBe(false);
  });

  it('compares ETags the way If-None-Match does', () => {
    const etag = etagFor(Buffer.from('hello'));
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(etagMatches(etag, etag)).toBe(true);
    expect(etagMatches(`"other", W/${etag}`, etag)).toBe(true);
    expect(etagMatches('*', etag)).toBe(true);
    expect(etagMatches('"other"', etag)).toBe(false);
    expect(etagMatches(undefined, etag)).toBe(false);
  });

  it('keeps pages per version, drops the least recently used and stays within its byte budget', () => {
    const store = new PageStore({ maxEntries: 2, maxBytes: 10, maxAgeMs: 1000 });
    const page = (text: string, version = 1, storedAt = 0) => ({
      version,
      body: Buffer.from(text),
      etag: etagFor(Buffer.from(text)),
      contentType: 'text/html',
      storedAt,
    });
    store.set('/a', page('aaaa'));
    store.set('/b', page('bbbb'));
    expect(store.get('/a', 1, 10)?.body.toString()).toBe('aaaa'); // /a is now the most recent
    store.set('/c', page('cccc'));
    expect(store.get('/b', 1, 10)).toBeNull();
    expect(store.get('/a', 2, 10)).toBeNull(); // an older version is never served
    expect(store.get('/c', 1, 5000)).toBeNull(); // nor an entry past its age
    store.set('/big', page('x'.repeat(11)));
    expect(store.size).toBe(0);
    store.set('/d', page('dddddd'));
    store.set('/e', page('eeeeee'));
    expect(store.totalBytes).toBeLessThanOrEqual(10);
    expect(store.get('/e', 1, 10)).not.toBeNull();
  });
});
