import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** Raised for invalid configuration; main.ts prints its message and stops. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

export type NodeEnv = 'development' | 'production' | 'test';

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  publicUrl: string;
  /** null → start the embedded PostgreSQL (never in production). */
  databaseUrl: string | null;
  dataDir: string;
  coach: { email: string; password: string | null };
  stripe: {
    secretKey: string | null;
    webhookSecret: string | null;
    apiUrl: string | null;
    timeoutMs: number;
  };
  /** newsletterMaxPerMinute: the pace of newsletter mail (the SMTP provider's limit), across all instances. */
  mail: { url: string | null; from: string; newsletterMaxPerMinute: number };
  /** 32-byte key for AES-256-GCM. */
  encryptionKey: Buffer;
  /** Keys being rotated out (ENCRYPTION_KEY_PREVIOUS): still read, never written. */
  previousEncryptionKeys: Buffer[];
  rateLimitPerMinute: number;
  /** How often, at most, an instance reads the public content version (PUBLIC_CACHE_CHECK_MS). */
  publicCache: { checkMs: number };
  /**
   * How long an instance may answer the same slots request (`GET /api/session-types/:slug/slots`)
   * from memory (SLOTS_ANSWER_MS; 0: never). A booking is always checked by the database.
   */
  slotsAnswerMs: number;
  logPretty: boolean;
  /** Log level; tests keep the logs quiet. */
  logLevel: string;
  /** Generated video rooms: this base plus ≥128 random bits (MEETING_BASE_URL). */
  meetingBaseUrl: string;
  /** External calendars: sync period, whether feeds may live on private addresses, fetch deadline. */
  calendars: { syncMinutes: number; allowPrivateHosts: boolean; fetchTimeoutMs: number };
}

export type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number (got "${raw}")`);
  const n = Number(raw);
  if (n < min || n > max)
    throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}

function urlVar(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  }
  return raw;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function meetingBaseUrlVar(env: Env): string {
  const raw = urlVar(env, 'MEETING_BASE_URL', ['https:', 'http:']) ?? 'https://meet.jit.si/';
  return raw.endsWith('/') ? raw : `${raw}/`;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function encryptionKeyVar(env: Env, nodeEnv: NodeEnv, dataDir: string): Buffer {
  const raw = env.ENCRYPTION_KEY;
  if (raw) {
    const key = Buffer.from(raw, 'base64');
    if (key.length !== 32 || key.toString('base64') !== raw.replace(/\s/g, '')) {
      throw new ConfigError('ENCRYPTION_KEY', 'must be 32 bytes encoded as base64 (44 characters)');
    }
    return key;
  }
  if (nodeEnv === 'production') {
    throw new ConfigError('ENCRYPTION_KEY', 'is required in production (32 bytes, base64)');
  }
  // Development: generate once into DATA_DIR and reuse it.
  const file = join(dataDir, 'encryption-key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

function previousKeysVar(env: Env): Buffer[] {
  const raw = env.ENCRYPTION_KEY_PREVIOUS;
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const text = part.trim();
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32 || key.toString('base64') !== text) {
      throw new ConfigError(
        'ENCRYPTION_KEY_PREVIOUS',
        'must be a comma-separated list of 32-byte keys encoded as base64',
      );
    }
    return key;
  });
}

/**
 * Reads and validates the whole configuration once; nothing else reads process.env.
 * `stdoutIsTTY` (main.ts passes process.stdout.isTTY) only sets LOG_PRETTY's default.
 */
export function loadConfig(env: Env, cwd = process.cwd(), stdoutIsTTY = false): AppConfig {
  const rawEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(rawEnv)) {
    throw new ConfigError('NODE_ENV', 'must be development, production or test');
  }
  const nodeEnv = rawEnv as NodeEnv;
  const production = nodeEnv === 'production';
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  const publicUrl = (
    urlVar(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`
  ).replace(/\/+$/, '');
  const databaseUrl = urlVar(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  if (production && !databaseUrl) {
    throw new ConfigError(
      'DATABASE_URL',
      'is required in production (the embedded PostgreSQL is for development)',
    );
  }
  const dataDirRaw = env.DATA_DIR || '.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const coachEmail = (env.COACH_EMAIL || 'coach@mend.local').trim().toLowerCase();
  if (!EMAIL_RE.test(coachEmail)) throw new ConfigError('COACH_EMAIL', 'must be an email address');
  const coachPassword = env.COACH_PASSWORD || null;
  if (coachPassword !== null && coachPassword.length < 10) {
    throw new ConfigError('COACH_PASSWORD', 'must be at least 10 characters');
  }

  const secretKey = env.STRIPE_SECRET_KEY || null;
  if (secretKey && !/^(sk|rk)_(test|live)_/.test(secretKey)) {
    throw new ConfigError(
      'STRIPE_SECRET_KEY',
      'must be a Stripe secret key (sk_test_… or sk_live_…)',
    );
  }
  if (production && !secretKey) {
    throw new ConfigError(
      'STRIPE_SECRET_KEY',
      'is required in production (local test mode is for development)',
    );
  }
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET || null;
  if (secretKey && !webhookSecret) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'is required when STRIPE_SECRET_KEY is set');
  }
  const stripeApiUrl = urlVar(env, 'STRIPE_API_URL', ['http:', 'https:']);
  if (production && stripeApiUrl) {
    throw new ConfigError(
      'STRIPE_API_URL',
      'is refused in production (it points Stripe calls at another server)',
    );
  }

  const mailUrl = urlVar(env, 'MAIL_URL', ['smtp:', 'smtps:']);
  if (production && !mailUrl) {
    throw new ConfigError(
      'MAIL_URL',
      'is required in production (without it mail is only kept in the outbox)',
    );
  }
  const mailFrom = env.MAIL_FROM || 'Mend <hello@mend.local>';
  if (!/@/.test(mailFrom)) throw new ConfigError('MAIL_FROM', 'must contain an email address');

  const logLevel = env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      'must be one of fatal, error, warn, info, debug, trace, silent',
    );
  }

  return {
    nodeEnv,
    port,
    publicUrl,
    databaseUrl,
    dataDir,
    coach: { email: coachEmail, password: coachPassword },
    stripe: {
      secretKey,
      webhookSecret,
      apiUrl: stripeApiUrl,
      timeoutMs: intVar(env, 'STRIPE_TIMEOUT_MS', 20000, 100, 80000),
    },
    mail: {
      url: mailUrl,
      from: mailFrom,
      newsletterMaxPerMinute: intVar(env, 'NEWSLETTER_MAX_PER_MINUTE', 600, 1, 1_000_000),
    },
    encryptionKey: encryptionKeyVar(env, nodeEnv, dataDir),
    previousEncryptionKeys: previousKeysVar(env),
    rateLimitPerMinute: intVar(env, 'RATE_LIMIT_PER_MINUTE', 30, 1, 100000),
    publicCache: { checkMs: intVar(env, 'PUBLIC_CACHE_CHECK_MS', 500, 0, 60000) },
    slotsAnswerMs: intVar(env, 'SLOTS_ANSWER_MS', 500, 0, 10000),
    // SPEC: on when standard output is a terminal outside production, JSON lines otherwise.
    logPretty: boolVar(env, 'LOG_PRETTY', stdoutIsTTY && !production),
    logLevel,
    meetingBaseUrl: meetingBaseUrlVar(env),
    calendars: {
      syncMinutes: intVar(env, 'CALENDAR_SYNC_MINUTES', 5, 1, 60),
      allowPrivateHosts: boolVar(env, 'CALENDAR_ALLOW_PRIVATE_HOSTS', !production),
      fetchTimeoutMs: intVar(env, 'CALENDAR_FETCH_TIMEOUT_MS', 10_000, 100, 60_000),
    },
  };
}

/**
 * The environment for a program Mend starts (the embedded PostgreSQL's initdb and postgres): this
 * process's own, plus `extra`. Kept here so that src/config stays the one place reading process.env.
 */
export function childProcessEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
