import { loadConfig } from '../config/config';
import { createStripeClient, STRIPE_API_VERSION } from './stripe-client';

const base = {
  NODE_ENV: 'test',
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  DATA_DIR: '/tmp/mend-stripe-client-spec',
};

describe('createStripeClient', () => {
  it('is null without a secret key (local test mode)', () => {
    expect(createStripeClient(loadConfig(base))).toBeNull();
  });

  it('pins the SDK API version, a timeout, modest retries, and points at STRIPE_API_URL', () => {
    const stripe = createStripeClient(
      loadConfig({
        ...base,
        STRIPE_SECRET_KEY: 'sk_test_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        STRIPE_API_URL: 'http://127.0.0.1:12111',
        STRIPE_TIMEOUT_MS: '1500',
      }),
    );
    expect(stripe).not.toBeNull();
    expect(stripe!.getApiField('version')).toBe(STRIPE_API_VERSION);
    expect(stripe!.getApiField('host')).toBe('127.0.0.1');
    expect(String(stripe!.getApiField('port'))).toBe('12111');
    expect(stripe!.getApiField('protocol')).toBe('http');
    expect(stripe!.getApiField('timeout')).toBe(1500);
    expect(stripe!.getMaxNetworkRetries()).toBe(2);
  });

  it('talks to api.stripe.com over https by default', () => {
    const stripe = createStripeClient(
      loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }),
    );
    expect(stripe!.getApiField('host')).toBe('api.stripe.com');
    expect(stripe!.getApiField('protocol')).toBe('https');
  });

  it('is never pointed elsewhere in production (the config refuses STRIPE_API_URL)', () => {
    expect(() =>
      loadConfig({
        ...base,
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://x/y',
        MAIL_URL: 'smtp://x',
        STRIPE_SECRET_KEY: 'sk_live_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        STRIPE_API_URL: 'http://127.0.0.1:1',
      }),
    ).toThrow(/STRIPE_API_URL/);
  });
});
