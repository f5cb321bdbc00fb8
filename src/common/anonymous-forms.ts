/**
 * CSRF for the forms on shared public pages (see src/public-cache). Those pages are rendered once
 * for everyone, so they can't carry a per-person CSRF token. Forging a request matters only when
 * the browser would attach authority the attacker lacks — a session cookie. So these few routes
 * accept a POST without a token when, and only when:
 * - the request carries no session cookie (it acts as nobody: an anonymous comment held for
 *   moderation, a subscription that still needs its mailed confirmation, a rating that only
 *   redirects to sign-in), and
 * - the browser does not say it came from another site (`Sec-Fetch-Site` other than
 *   `same-origin`/`none`; without fetch metadata, an `Origin` other than this site's).
 * With a session cookie the token is required as everywhere else; signed-in visitors are never
 * served shared pages, so their forms always carry one. Sign-in, sign-up and password reset keep
 * their tokens (login CSRF), and they are not on shared pages.
 */
const ANONYMOUS_FORM_PATHS: RegExp[] = [
  /^\/newsletter\/subscribe$/,
  /^\/blog\/[^/]+\/comments$/,
  /^\/blog\/[^/]+\/rating$/,
];

export interface FormRequestShape {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  hasSessionCookie: boolean;
}

export function anonymousFormNeedsNoToken(req: FormRequestShape, publicUrl: string): boolean {
  if (req.hasSessionCookie) return false;
  if (!ANONYMOUS_FORM_PATHS.some((re) => re.test(req.path))) return false;
  // Fetch metadata, where the browser sends it (all current ones do), decides.
  const fetchSite = header(req.headers['sec-fetch-site']);
  if (fetchSite !== undefined) return fetchSite === 'same-origin' || fetchSite === 'none';
  // Otherwise a foreign Origin refuses. `Origin: null` proves nothing either way: browsers send it
  // for same-origin form posts under `Referrer-Policy: no-referrer` (which helmet sets).
  const origin = header(req.headers.origin);
  if (origin === undefined || origin === 'null') return true;
  try {
    const from = new URL(origin);
    return from.origin === new URL(publicUrl).origin || from.host === header(req.headers.host);
  } catch {
    return false;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
