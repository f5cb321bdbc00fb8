// Mail budgets (issue 12): how fast the outbox drains, and how long a booking confirmation takes
// while a newsletter is sending. Self-contained: each scenario gets a database of its own (so no
// other instance's workers take its mail), an app instance whose MAIL_URL points at a local SMTP
// catcher in this process, and returns { name, rps, p50, p95, p99, errors }.
//
// ctx needs: databaseUrl (any database of the bench's PostgreSQL), sql(text, params) on it, and
// startInstance(extraEnv) → { base, stop() } (the harness's app launcher).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

const COACH = { email: 'coach@bench.test', password: 'bench-coach-password' };

/** A real SMTP server on loopback that records, per recipient, when each mail arrived. */
async function startCatcher() {
  const arrivals = []; // { to, at }
  const waiters = new Set();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const at = performance.now();
        for (const r of session.envelope.rcptTo) arrivals.push({ to: r.address, at });
        for (const w of waiters) w();
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `smtp://127.0.0.1:${server.server.address().port}`;
  return {
    url,
    arrivals,
    /** Resolves when `count(arrivals)` is true, or rejects after timeoutMs. */
    until(done, timeoutMs = 300_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (done(arrivals)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out with ${arrivals.length} mails caught`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A fresh database, an app instance on it sending to a fresh catcher. */
async function mailSetup(ctx, env = {}) {
  const name = `mend_mail_${randomBytes(4).toString('hex')}`;
  await ctx.sql(`CREATE DATABASE ${name}`);
  const url = ctx.databaseUrl.replace(/\/[^/]*$/, `/${name}`);
  const catcher = await startCatcher();
  const app = await ctx.startInstance({ DATABASE_URL: url, MAIL_URL: catcher.url, ...env });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  return {
    app,
    catcher,
    db,
    async close() {
      await app.stop();
      await catcher.stop();
      await db.end();
      await ctx.sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function summary(name, latencies, seconds, count, errors) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { name, rps: count / seconds, p50: pct(50), p95: pct(95), p99: pct(99), errors };
}

async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * mail-drain: 1 000 mails committed to the outbox at once, drained to the catcher. rps = mails per
 * second from the commit to the last arrival; p50/p95/p99 = each mail's commit-to-arrival ms;
 * errors = mails missing, repeated, or not marked sent.
 */
export async function mailDrain(ctx, { count = 1000 } = {}) {
  const s = await mailSetup(ctx);
  try {
    await s.db.query('BEGIN');
    await s.db.query(
      `INSERT INTO mail_outbox (kind, to_address, subject, text, status)
       SELECT 'bench', 'drain' || g || '@bench.test', 'Drain ' || g, 'Hello from the drain bench.', 'pending' FROM generate_series(1, $1) AS g`,
      [count],
    );
    await s.db.query(`SELECT pg_notify('mend_wake', 'mail-delivery')`);
    await s.db.query('COMMIT');
    const t0 = performance.now();
    await s.catcher.until((a) => a.length >= count);
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 500)); // the last records land; any repeat would show
    const [{ sent }] = (await s.db.query(`SELECT count(*)::int AS sent FROM mail_outbox WHERE status = 'sent'`)).rows;
    const distinct = new Set(s.catcher.arrivals.map((a) => a.to)).size;
    const errors = (count - distinct) + (s.catcher.arrivals.length - distinct) + (count - sent);
    return summary('mail-drain', s.catcher.arrivals.map((a) => a.at - t0), seconds, count, errors);
  } finally {
    await s.close();
  }
}

/**
 * mail-confirm-during-newsletter: a post published to `subscribers` confirmed subscribers, then a
 * free booking every `everyMs` while it sends. Latency = from the booking's 201 (its commit is just
 * before) to its confirmation reaching the catcher; bookingP95 = the booking requests' own p95. rps = newsletter mails per
 * second. errors = bookings refused or confirmations missing. `env` sets the instance's pace
 * (default: unpaced, the worst case for the booking).
 */
export async function mailConfirmDuringNewsletter(ctx, { subscribers = 2000, everyMs = 200, env = { NEWSLETTER_MAX_PER_MINUTE: '1000000' } } = {}) {
  const s = await mailSetup(ctx, env);
  try {
    const { base } = s.app;
    const { token } = await api(base, 'POST', '/api/auth/login', COACH);
    await api(base, 'PUT', '/api/availability', {
      timeZone: 'UTC',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      overrides: [],
    }, token);
    await api(base, 'POST', '/api/session-types', {
      name: 'Bench session', slug: 'bench', description: 'Load test', durationMinutes: 30, price: 0, currency: 'usd',
      bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, bookingWindowDays: 730, slotIntervalMinutes: 30, location: 'Video call', active: true,
    }, token);
    await s.db.query(
      `INSERT INTO newsletter_subscribers (email, status, confirmed_at)
       SELECT 'sub' || g || '@bench.test', 'confirmed', now() - interval '1 day' FROM generate_series(1, $1) AS g`,
      [subscribers],
    );
    const post = await api(base, 'POST', '/api/posts', { title: 'Bench letter', body: 'A letter to many readers.' }, token);
    await api(base, 'POST', `/api/posts/${post.id}/publish`, { notifySubscribers: true }, token);
    const newsletterStart = performance.now();
    const isSub = (a) => a.to.startsWith('sub');
    const newsletterSent = () => s.catcher.arrivals.filter(isSub).length;

    const startBase = Date.parse(new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00Z');
    const sentAt = new Map(); // email → when its 201 arrived
    const requestMs = [];
    let refused = 0;
    const requests = [];
    for (let i = 0; newsletterSent() < subscribers && i < 2000; i++) {
      const email = `confirm${i}@bench.test`;
      const start = new Date(startBase + i * 30 * 60_000).toISOString().replace('.000Z', 'Z');
      const begun = performance.now();
      sentAt.set(email, null);
      requests.push(
        fetch(`${base}/api/bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sessionType: 'bench', start, name: 'Bench Client', email, timeZone: 'UTC' }),
        }).then(async (r) => {
          await r.arrayBuffer();
          const now = performance.now();
          requestMs.push(now - begun);
          if (r.status !== 201) refused++;
          else sentAt.set(email, now);
        }, () => refused++),
      );
      await new Promise((r) => setTimeout(r, everyMs));
    }
    await Promise.all(requests);
    const booked = sentAt.size - refused;
    await s.catcher.until((a) => a.filter((x) => sentAt.has(x.to)).length >= booked, 60_000).catch(() => undefined);
    await s.catcher.until((a) => a.filter(isSub).length >= subscribers, 600_000);
    const newsletterSeconds = (performance.now() - newsletterStart) / 1000;
    const latencies = [];
    for (const [email, at] of sentAt) {
      if (at === null) continue;
      const arrival = s.catcher.arrivals.find((a) => a.to === email);
      if (arrival) latencies.push(arrival.at - at);
    }
    const result = summary('mail-confirm-during-newsletter', latencies, newsletterSeconds, subscribers, refused + (booked - latencies.length));
    requestMs.sort((a, b) => a - b);
    return { ...result, bookings: sentAt.size, bookingP95: requestMs[Math.floor(0.95 * requestMs.length)] };
  } finally {
    await s.close();
  }
}

/** The two scenarios in the harness's shape: { name, run(ctx) } pushing { budget, ok, detail }. */
export const mailScenarios = [
  {
    name: 'mail-drain',
    async run(ctx) {
      const r = await mailDrain(ctx);
      console.log(`  ${JSON.stringify(r)}`);
      ctx.results.push({ budget: 'mail-drain: 1 000 queued mails ≥ 100 mails/s', ok: r.rps >= 100 && r.errors === 0, detail: `${r.rps.toFixed(0)} mails/s, p95 ${r.p95.toFixed(0)} ms after commit, errors ${r.errors}` });
    },
  },
  {
    name: 'mail-confirm-during-newsletter',
    async run(ctx) {
      const r = await mailConfirmDuringNewsletter(ctx);
      console.log(`  ${JSON.stringify(r)}`);
      ctx.results.push({ budget: 'booking confirmation during a 2 000-subscriber newsletter: p95 < 2 s', ok: r.p95 < 2000 && r.errors === 0, detail: `p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms over ${r.bookings} bookings (booking request p95 ${r.bookingP95.toFixed(0)} ms); newsletter ${r.rps.toFixed(0)} mails/s; errors ${r.errors}` });
    },
  },
];
