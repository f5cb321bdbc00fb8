import Stripe from 'stripe';
import { AppConfig } from '../config/config';

/** Injection token for the Stripe client; its value is null in local test mode. */
export const STRIPE = Symbol('STRIPE');

/** The API version this code is written and typed against (the SDK's own). */
export const STRIPE_API_VERSION = Stripe.API_VERSION;

/**
 * The one place a Stripe client is made: a pinned API version, a timeout, a few network retries
 * (the SDK retries POSTs with the same idempotency key), and `STRIPE_API_URL` (refused in
 * production by the config) to talk to a fake Stripe in tests. Null without a secret key: local
 * test mode.
 */
export function createStripeClient(config: AppConfig): Stripe | null {
  const { secretKey, apiUrl, timeoutMs } = config.stripe;
  if (!secretKey) return null;
  const options: Stripe.StripeConfig = {
    apiVersion: STRIPE_API_VERSION,
    timeout: timeoutMs,
    maxNetworkRetries: 2,
    telemetry: false,
    appInfo: { name: 'Mend' },
  };
  if (apiUrl) {
    const url = new URL(apiUrl);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    options.host = url.hostname;
    options.port = url.port || (protocol === 'http' ? 80 : 443);
    options.protocol = protocol;
  }
  return new Stripe(secretKey, options);
}

/** The Stripe client, where a path can't run in local test mode (a bug if it is reached there). */
export function requireStripe(stripe: Stripe | null): Stripe {
  if (!stripe) throw new Error('Stripe is not configured (local test mode)');
  return stripe;
}
