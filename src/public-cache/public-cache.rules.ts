import { createHash } from 'node:crypto';
import { pickLocale } from '../common/dates';

/**
 * Which requests may be answered from the shared public cache, and how a cached answer is
 * described to browsers and CDNs. Pure: no Nest, no database.
 *
 * Rules:
 * 1. Only `GET` of the public pages below, and only for a visitor who carries neither a session
 *    cookie nor an `Authorization` header. Such a request has no viewer, so its page holds
 *    nothing personal; the cached render is also made without a CSRF token or any cookie.
 * 2. Only a 200 that set no cookie is stored (a page that wanted to set one is personal).
 * 3. An entry is used only while the public content version it was rendered at is current.
 * 4. Pages format dates in the reader's language (src/common/dates.ts, from `Accept-Language`), so
 *    the key holds the locale that header picks (a handful of values), and CDNs are told to vary on it.
 */
const CACHEABLE_PATHS: RegExp[] = [
  /^\/$/,
  /^\/about$/,
  /^\/blog$/,
  /^\/blog\/tag\/[^/]+$/,
  /^\/blog\/(?!tag$)[^/]+$/,
  /^\/feed\.xml$/,
  /^\/sitemap\.xml$/,
  /^\/book$/,
  /^\/api\/session-types$/,
];

export const SESSION_COOKIE_NAME = 'mend_session';

/** What browsers and CDNs are told about a shared page: browsers revalidate (ETag → 304), CDNs may keep it a minute. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=600';
/** A shared page differs by these request headers (a CDN must not hand it to a signed-in visitor). */
export const PUBLIC_VARY = 'Cookie, Authorization, Accept-Language';

export function isCacheablePath(path: string): boolean {
  return CACHEABLE_PATHS.some((re) => re.test(path));
}

export interface RequestShape {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The cache key (the locale and the URL, query included) when this request may be served from the shared cache, else null. */
export function publicCacheKey(req: RequestShape): string | null {
  if (req.method !== 'GET') return null;
  if (req.headers.authorization !== undefined) return null;
  if (hasSessionCookie(req.headers.cookie)) return null;
  const path = req.url.split('?')[0];
  if (!isCacheablePath(path)) return null;
  return `${pickLocale(req.headers['accept-language'])} ${req.url}`;
}

export function hasSessionCookie(cookie: string | string[] | undefined): boolean {
  if (cookie === undefined) return false;
  const header = Array.isArray(cookie) ? cookie.join('; ') : cookie;
  return header.split(';').some((part) => part.trim().startsWith(`${SESSION_COOKIE_NAME}=`));
}

/** A strong validator: a hash of the exact bytes served. */
export function etagFor(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** RFC 9110 If-None-Match (weak comparison; `*` matches any current representation). */
export function etagMatches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const header = Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v.replace(/^W\//, '') === bare;
  });
}

export interface CachedPage {
  version: number;
  body: Buffer;
  etag: string;
  contentType: string;
  storedAt: number;
}

/**
 * The rendered pages of one process: least recently used first out, bounded by count and bytes,
 * each entry valid for one content version and at most `maxAgeMs` (a safety net for anything
 * time-dependent that no version bump covers).
 */
export class PageStore {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(
    private readonly limits: { maxEntries: number; maxBytes: number; maxAgeMs: number },
  ) {}

  get(key: string, version: number, now: number): CachedPage | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.version !== version || now - entry.storedAt > this.limits.maxAgeMs) {
      this.delete(key);
      return null;
    }
    // Most recently used goes last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, page: CachedPage): void {
    if (page.body.length > this.limits.maxBytes) return;
    this.delete(key);
    this.entries.set(key, page);
    this.bytes += page.body.length;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }
}
