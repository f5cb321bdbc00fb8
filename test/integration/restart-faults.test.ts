import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/database/embedded-postgres';
import { MAIL_CONCURRENCY } from '../../src/mail/mail-delivery';
import { createTestDatabase, dropTestDatabase } from '../support/database';
import { MailCatcher } from '../support/mail-catcher';
import { spawnApp, SpawnedApp } from '../support/spawn-app';

/**
 * The app as `npm start` runs it, killed without warning (SIGKILL: no shutdown hook runs) and
 * started again on the same database: nothing it had to do is lost.
 */
jest.setTimeout(240_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SUBSCRIBERS = 400;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('Restarts and crashes (the real process)', () => {
  const mail = new MailCatcher();
  let db: { url: string; name: string };
  let sql: Client;
  let env: Record<string, string>;
  let base: string;
  let app: SpawnedApp | null = null;

  async function start(): Promise<SpawnedApp> {
    const a = spawnApp(env);
    await a.waitFor(/Mend is running/, 90_000);
    app = a;
    return a;
  }
  async function kill(signal: NodeJS.Signals): Promise<void> {
    const a = app!;
    app = null;
    a.child.kill(signal);
    await a.exited;
  }
  async function api(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(base + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
  async function coachToken(): Promise<string> {
    const res = await api('POST', '/api/auth/login', {
      email: 'coach@example.test',
      password: 'a-coach-password',
    });
    expect(res.status).toBe(200);
    return res.body.token as string;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: db.url,
      PORT: String(port),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-restart-')),
      COACH_EMAIL: 'coach@example.test',
      COACH_PASSWORD: 'a-coach-password',
      MAIL_URL: await mail.start(),
      NEWSLETTER_MAX_PER_MINUTE: '6000',
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    if (app) await kill('SIGKILL');
    await sql?.end();
    await mail.stop();
    if (db) await dropTestDatabase(db.name);
  });

  it(`SIGKILL halfway through a newsletter to ${SUBSCRIBERS}: after a restart every subscriber has it; repeats only what was in flight`, async () => {
    await sql.query(
      `INSERT INTO newsletter_subscribers (email, status, confirmed_at)
       SELECT 'reader' || g || '@example.com', 'confirmed', now() - interval '1 day' FROM generate_series(1, $1) AS g`,
      [SUBSCRIBERS],
    );
    // A server that answers each mail 100 ms after taking it: sends are always in flight, and a
    // kill lands between "the server has it" and "the app recorded it" for several of them.
    mail.acceptDelayMs = 100;
    await start();
    const token = await coachToken();
    const post = await api(
      'POST',
      '/api/posts',
      { title: 'A Letter Worth Keeping', body: 'To every reader.' },
      token,
    );
    expect(post.status).toBe(201);
    expect(
      (
        await api(
          'POST',
          `/api/posts/${String(post.body.id)}/publish`,
          { notifySubscribers: true },
          token,
        )
      ).status,
    ).toBe(200);
    const letters = () => mail.mails.filter((m) => m.subject === 'A Letter Worth Keeping');

    await until('the newsletter halfway', () => letters().length >= SUBSCRIBERS / 2);
    await kill('SIGKILL');
    const atKill = letters().length;
    expect(atKill).toBeLessThan(SUBSCRIBERS); // really halfway

    // What the dead process had claimed but not recorded: the only mail that may arrive twice.
    const [{ in_flight: inFlight }] = (
      await sql.query(
        `SELECT count(*)::int AS in_flight FROM mail_outbox WHERE kind = 'newsletter_post' AND status = 'pending' AND claimed_by IS NOT NULL`,
      )
    ).rows as { in_flight: number }[];
    expect(inFlight).toBeGreaterThan(0); // the kill really caught sends in flight
    expect(inFlight).toBeLessThanOrEqual(MAIL_CONCURRENCY);
    // Nothing is marked sent that the server did not receive.
    const sentRows = (
      await sql.query(
        `SELECT to_address FROM mail_outbox WHERE kind = 'newsletter_post' AND status = 'sent'`,
      )
    ).rows as { to_address: string }[];
    const received = new Set(letters().map((m) => m.to[0]));
    for (const r of sentRows) expect(received.has(r.to_address)).toBe(true);

    mail.acceptDelayMs = 0;
    await start();
    await until(
      'every subscriber',
      () => new Set(letters().map((m) => m.to[0])).size >= SUBSCRIBERS,
      120_000,
    );
    await until('every outbox row recorded', async () => {
      const rows = (
        await sql.query(
          `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM mail_outbox WHERE kind = 'newsletter_post'`,
        )
      ).rows as { sent: number; total: number }[];
      return rows[0].sent === SUBSCRIBERS && rows[0].total === SUBSCRIBERS;
    });
    await sleep(500); // a repeat, if any, would have arrived by now
    const all = letters();
    const duplicates = all.length - SUBSCRIBERS;
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    // A repeated mail carries the same Message-ID as the first copy.
    const idsByReader = new Map<string, Set<string>>();
    for (const m of all)
      idsByReader.set(
        m.to[0],
        (idsByReader.get(m.to[0]) ?? new Set()).add(String(m.headers.get('message-id'))),
      );
    expect([...idsByReader.values()].every((ids) => ids.size === 1)).toBe(true);
  });

  it('holds pending across a crash and restart still expire: the slot is free on time, and the sweep marks them', async () => {
    const token = await coachToken();
    expect(
      (
        await api(
          'PUT',
          '/api/availability',
          {
            timeZone: 'UTC',
            weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
              weekday,
              start: '00:00',
              end: '24:00',
            })),
            overrides: [],
          },
          token,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await api(
          'POST',
          '/api/session-types',
          {
            name: 'Held',
            slug: 'held',
            durationMinutes: 60,
            price: 0,
            currency: 'usd',
            minimumNoticeMinutes: 0,
            bookingWindowDays: 365,
          },
          token,
        )
      ).status,
    ).toBe(201);
    const [type] = (await sql.query(`SELECT id, coach_id FROM session_types WHERE slug = 'held'`))
      .rows as { id: string; coach_id: string }[];
    const [client] = (
      await sql.query(
        `INSERT INTO users (email, name, role) VALUES ('holder@example.com', 'Holder', 'client') RETURNING id`,
      )
    ).rows as { id: string }[];
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const hold = async (hour: string) =>
      (
        (
          await sql.query(
            `INSERT INTO bookings (coach_id, client_id, session_type_id, status, start_at, end_at, busy_start, busy_end, hold_expires_at, client_name, client_email, client_time_zone, price, currency, manage_token_hash)
             VALUES ($1, $2, $3, 'pending_payment', $4::timestamptz, $4::timestamptz + interval '1 hour', $4::timestamptz, $4::timestamptz + interval '1 hour', now() + interval '4 seconds', 'Holder', 'holder@example.com', 'UTC', 9500, 'usd', md5(random()::text)) RETURNING id`,
            [type.coach_id, client.id, type.id, `${day}T${hour}:00:00Z`],
          )
        ).rows as { id: string }[]
      )[0].id;
    const slotHold = await hold('10');
    const sweptHold = await hold('14');
    const status = async (id: string) =>
      (
        (await sql.query(`SELECT status FROM bookings WHERE id = $1`, [id])).rows as {
          status: string;
        }[]
      )[0].status;

    // While the hold stands, its slot is taken.
    const early = await api('POST', '/api/bookings', {
      sessionType: 'held',
      start: `${day}T10:00:00Z`,
      name: 'Early',
      email: 'early@example.com',
      timeZone: 'UTC',
    });
    expect(early.status).toBe(409);

    await kill('SIGKILL');
    await until(
      'the holds to pass their time',
      async () =>
        (
          (
            await sql.query(
              `SELECT now() > max(hold_expires_at) AS past FROM bookings WHERE status = 'pending_payment'`,
            )
          ).rows as { past: boolean }[]
        )[0].past,
      30_000,
    );
    await start();
    // On time: the moment a hold has expired, its slot can be booked (the booking releases it)…
    const later = await api('POST', '/api/bookings', {
      sessionType: 'held',
      start: `${day}T10:00:00Z`,
      name: 'Later',
      email: 'later@example.com',
      timeZone: 'UTC',
    });
    expect(later.status).toBe(201);
    expect(await status(slotHold)).toBe('expired');
    // …and the per-minute sweep marks the other one, with no request needed.
    await until('the sweep', async () => (await status(sweptHold)) === 'expired', 150_000);
    await kill('SIGTERM');
  });
});
