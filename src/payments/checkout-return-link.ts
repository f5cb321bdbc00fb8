import { timingSafeEqual } from 'node:crypto';
import { LinkSigner } from '../common/crypto/link-signer';

const PURPOSE = 'checkout-return';

/**
 * The query of a checkout return page (`/checkout/success?…`, `/checkout/cancelled?…`) when it
 * names the payment: its id and a token signed for it. A payment id alone travels in checkout
 * URLs and browser history; the page it opens links to what was paid for (a booking's manage
 * link), so it is shown only with the token Mend itself put in the return address.
 */
export function checkoutReturnQuery(signer: LinkSigner, paymentId: string): string {
  return `payment=${paymentId}&return=${signer.sign(PURPOSE, paymentId)}`;
}

export function isCheckoutReturnToken(
  signer: LinkSigner,
  paymentId: string,
  token: string | undefined,
): boolean {
  if (typeof token !== 'string') return false;
  const expected = Buffer.from(signer.sign(PURPOSE, paymentId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
