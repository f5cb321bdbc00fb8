import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const key = Buffer.alloc(32, 7).toString('base64');
const tmp = () => mkdtempSync(join(tmpdir(), 'mend-config-'));

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: tmp(), ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives development defaults with no environment at all', () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: null,
      rateLimitPerMinute: 30,
      logPretty: false,
    });
    expect(c.stripe.secretKey).toBeNull();
    expect(c.mail.url).toBeNull();
    expect(c.mail.newsletterMaxPerMinute).toBe(600);
    expect(c.encryptionKey).toHaveLength(32);
  });

  it('reads the newsletter pace', () => {
    expect(
      loadConfig({ DATA_DIR: tmp(), NEWSLETTER_MAX_PER_MINUTE: '120' }).mail.newsletterMaxPerMinute,
    ).toBe(120);
  });

  it('makes logs human-readable by default in a terminal outside production, JSON lines otherwise (LOG_PRETTY wins)', () => {
    const dir = tmp();
    expect(loadConfig({ DATA_DIR: dir }, process.cwd(), true).logPretty).toBe(true);
    expect(loadConfig({ DATA_DIR: dir }, process.cwd(), false).logPretty).toBe(false);
    expect(loadConfig({ DATA_DIR: dir, LOG_PRETTY: 'false' }, process.cwd(), true).logPretty).toBe(
      false,
    );
    expect(loadConfig({ DATA_DIR: dir, LOG_PRETTY: 'true' }, process.cwd(), false).logPretty).toBe(
      true,
    );
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://a@b/c',
      ENCRYPTION_KEY: key,
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      MAIL_URL: 'smtp://x',
    };
    expect(loadConfig({ DATA_DIR: dir, ...production }, process.cwd(), true).logPretty).toBe(false);
  });

  it('generates the development encryption key once, owner-readable only, and reuses it', () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir }).encryptionKey;
    const second = loadConfig({ DATA_DIR: dir }).encryptionKey;
    expect(second.equals(first)).toBe(true);
    expect(statSync(join(dir, 'encryption-key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'encryption-key'), 'utf8').trim()).toBe(first.toString('base64'));
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ COACH_EMAIL: 'nope' }, 'COACH_EMAIL'],
    [{ COACH_PASSWORD: 'short' }, 'COACH_PASSWORD'],
    [{ ENCRYPTION_KEY: 'dG9vIHNob3J0' }, 'ENCRYPTION_KEY'],
    [{ ENCRYPTION_KEY_PREVIOUS: 'dG9vIHNob3J0' }, 'ENCRYPTION_KEY_PREVIOUS'],
    [{ STRIPE_SECRET_KEY: 'pk_test_123' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_SECRET_KEY: 'sk_test_123' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ MAIL_URL: 'http://mail' }, 'MAIL_URL'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ NEWSLETTER_MAX_PER_MINUTE: '0' }, 'NEWSLETTER_MAX_PER_MINUTE'],
    [{ NEWSLETTER_MAX_PER_MINUTE: 'fast' }, 'NEWSLETTER_MAX_PER_MINUTE'],
    [{ LOG_PRETTY: 'maybe' }, 'LOG_PRETTY'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('names the variable in one clear message: %j', (env, variable) => {
    const e = errorOf(env);
    expect(e.variable).toBe(variable);
    expect(e.message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });

  describe('in production', () => {
    const prod = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db:5432/mend',
      ENCRYPTION_KEY: key,
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      MAIL_URL: 'smtp://mail:25',
    };
    it('accepts a complete configuration', () => {
      expect(loadConfig({ DATA_DIR: tmp(), ...prod }).nodeEnv).toBe('production');
    });
    it.each(['DATABASE_URL', 'ENCRYPTION_KEY', 'STRIPE_SECRET_KEY', 'MAIL_URL'])(
      'refuses to run without %s',
      (name) => {
        const env: Record<string, string> = { ...prod };
        delete env[name];
        expect(errorOf(env).variable).toBe(
          name === 'STRIPE_SECRET_KEY' ? 'STRIPE_SECRET_KEY' : name,
        );
      },
    );
    it('refuses STRIPE_API_URL', () => {
      expect(errorOf({ ...prod, STRIPE_API_URL: 'http://127.0.0.1:12111' }).variable).toBe(
        'STRIPE_API_URL',
      );
    });
  });
});
