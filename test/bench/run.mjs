// `npm run bench`: starts the built app (embedded PostgreSQL, fresh data directory) and measures
// endpoints against the app's own GET /health in the same run. Never a timed test: numbers only.
// Started with the slots budget (issue 3): slots for 7 days with 2 000 bookings in the database.
import { spawn, execSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PORT = Number(process.env.BENCH_PORT ?? 3417);
const BASE = `http://127.0.0.1:${PORT}`;
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BOOKINGS = 2000;
const email = 'bench-coach@example.test';
const password = 'bench-password-123';

if (!existsSync('dist/src/main.js')) execSync('npx nest build', { stdio: 'inherit' });
const dataDir = mkdtempSync(join(tmpdir(), 'mend-bench-'));
chmodSync(dataDir, 0o755); // the embedded server's own user must reach its data folder
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app during the run.
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const app = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
  env: {
    ...process.env,
    PORT: String(PORT),
    DATA_DIR: dataDir,
    COACH_EMAIL: email,
    COACH_PASSWORD: password,
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

async function waitForHealth() {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the app did not become healthy');
}

async function api(method, path, body, token) {
  const res = await fetch(BASE + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function pool(n, tasks) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) await tasks[next++]();
    }),
  );
}

/** Hammers `path` with CONNECTIONS concurrent loops for SECONDS; returns rps and latency percentiles. */
async function load(path) {
  const latencies = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const res = await fetch(BASE + path);
        await res.arrayBuffer();
        if (!res.ok) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
  return {
    rps: Math.round(latencies.length / SECONDS),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    errors,
  };
}

try {
  await waitForHealth();
  const { token } = await api('POST', '/api/auth/login', { email, password });
  await api(
    'PUT',
    '/api/availability',
    {
      timeZone: 'America/New_York',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      overrides: [],
    },
    token,
  );
  await api(
    'POST',
    '/api/session-types',
    {
      name: 'Bench',
      slug: 'bench',
      durationMinutes: 15,
      price: 0,
      currency: 'usd',
      minimumNoticeMinutes: 0,
      bookingWindowDays: 730,
    },
    token,
  );
  // 2 000 bookings over the coming weeks (about 96 a day), made through the API.
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const days = Math.ceil(BOOKINGS / 48);
  const to = new Date(Date.parse(from) + 61 * 86_400_000).toISOString().slice(0, 10);
  const { slots } = await api(
    'GET',
    `/api/session-types/bench/slots?from=${from}&to=${to}&timeZone=UTC`,
  );
  const chosen = slots.filter((_, i) => i % 2 === 0).slice(0, BOOKINGS);
  let made = 0;
  const t0 = Date.now();
  await pool(
    16,
    chosen.map((s, i) => async () => {
      await api('POST', '/api/bookings', {
        sessionType: 'bench',
        start: s.start,
        name: `Client ${i}`,
        email: `client${i}@example.test`,
        timeZone: 'UTC',
      });
      made++;
    }),
  );
  const creationRate = Math.round(made / ((Date.now() - t0) / 1000));
  console.log(
    `seeded ${made} bookings over ~${days} days (${creationRate} bookings/s at 16 connections, distinct slots)`,
  );

  const week = `from=${from}&to=${new Date(Date.parse(from) + 6 * 86_400_000).toISOString().slice(0, 10)}&timeZone=Europe/London`;
  const health = await load('/health');
  const slotsRes = await load(`/api/session-types/bench/slots?${week}`);
  console.table({ '/health': health, 'slots, 7 days': slotsRes });
  console.log(
    `slots p95 ${slotsRes.p95} ms (budget < 25 ms); ${Math.round((100 * slotsRes.rps) / health.rps)}% of /health's requests per second`,
  );
} finally {
  app.kill('SIGTERM');
  await new Promise((r) => app.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
