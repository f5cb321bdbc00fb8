import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Unsubscribe links carry `<subscriberId>.<HMAC>`; the database stores nothing for them, every
 * newsletter mail can carry one, and it can't be forged without the server's key.
 */
export function unsubscribeToken(key: Buffer, subscriberId: string): string {
  return `${subscriberId}.${mac(key, subscriberId)}`;
}

/** The subscriber id the token is for, or null when it is malformed or forged. */
export function verifyUnsubscribeToken(key: Buffer, token: string): string | null {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(key, m[1]));
  const given = Buffer.from(m[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? m[1] : null;
}

function mac(key: Buffer, id: string): string {
  return createHmac('sha256', key).update(`mend:newsletter-unsubscribe:${id}`).digest('base64url');
}
