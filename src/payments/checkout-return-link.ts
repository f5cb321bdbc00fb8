import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { LinkSigner } from '../common/crypto/link-signer';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

const PURPOSE = 'checkout-return';

/**
 * Every address of the checkout flow Mend makes: local test mode's checkout page, and the return
 * pages (`/checkout/success?…`, `/checkout/cancelled?…`). A return page that names the payment
 * carries its id and a token signed for it: a payment id alone travels in checkout URLs and
 * browser history, and the page it opens links to what was paid for (a booking's manage link), so
 * it is shown only with the token Mend itself put in the return address.
 */
@Injectable()
export class CheckoutLinks {
  constructor(
    private readonly signer: LinkSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Local test mode's stand-in for Stripe Checkout. */
  testCheckoutUrl(paymentId: string): string {
    return `${this.config.publicUrl}/checkout/test/${paymentId}`;
  }

  /** Stripe's success redirect (Stripe fills in the session id). */
  successUrl(): string {
    return `${this.config.publicUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`;
  }

  cancelUrl(paymentId: string): string {
    return `${this.config.publicUrl}/checkout/cancelled?${this.returnQuery(paymentId)}`;
  }

  /** `payment=…&return=…` for a return page of this payment. */
  returnQuery(paymentId: string): string {
    return `payment=${paymentId}&return=${this.signer.sign(PURPOSE, paymentId)}`;
  }

  isReturnToken(paymentId: string, token: string | undefined): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.signer.sign(PURPOSE, paymentId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
