const BASE = 'http://mend.invalid';

/**
 * The one check for where Mend redirects after sign-in and forms (`next=`): a path on this site,
 * else `fallback`. Only printable ASCII is taken (browsers percent-encode the rest), so tabs and
 * line breaks — which browsers strip, turning `/\t/evil.com` into `//evil.com` — control
 * characters, spaces, backslashes (read as `/` by browsers) and non-Latin-1 characters (which a
 * Location header can't carry) never reach a header; `//host` and anything resolving to another
 * origin are refused.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(next) || next.includes('\\')) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  return url.origin === BASE ? next : fallback;
}
