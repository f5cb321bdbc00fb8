// npm run bench — SPEC's performance budgets, measured (never asserted by timed tests).
// Builds the app, starts a throwaway embedded PostgreSQL and the app against it, loads it from
// this process over loopback, and prints each budget with PASS/MISS. Scenarios: scenarios.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { fmt, load } from './load.mjs';
import { scenarios } from './scenarios.mjs';

const require = createRequire(import.meta.url);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const root = new URL('../..', import.meta.url).pathname;

async function waitHealthy(base, child) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('the app exited during start-up');
    try {
      const r = await fetch(`${base}/health/ready`);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the app did not become ready');
}

function rssMb(pid) {
  const out = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)]).stdout.toString().trim();
  return Number(out) / 1024;
}

console.log('building…');
if (spawnSync('npx', ['nest', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

require('ts-node/register/transpile-only');
const { startEmbeddedPostgres, freePort } = require('../../src/database/embedded-postgres.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'mend-bench-'));
chmodSync(dataDir, 0o755);
const database = await startEmbeddedPostgres({ dir: join(dataDir, 'pg'), database: 'mend_bench' });
const db = new pg.Client({ connectionString: database.url });

const instances = [];
async function startInstance(extra = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    COACH_EMAIL: 'coach@bench.test',
    COACH_PASSWORD: 'bench-coach-password',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  instances.push(child);
  await waitHealthy(base, child);
  return { base, pid: child.pid, stop: () => stopChild(child) };
}
function stopChild(child) {
  if (child.exitCode !== null) return Promise.resolve();
  child.kill('SIGTERM');
  return new Promise((r) => child.on('exit', r));
}

const results = [];
try {
  const main = await startInstance();
  await db.connect();
  const ctx = {
    base: main.base,
    databaseUrl: database.url,
    seconds,
    load,
    fmt,
    results,
    sql: (text, params) => db.query(text, params).then((r) => r.rows),
    startInstance,
    rssMb: () => rssMb(main.pid),
  };
  const health = await load({ url: `${main.base}/health`, connections: 32, seconds });
  console.log(`GET /health: ${fmt(health)}`);
  ctx.health = health;
  const only = process.env.BENCH_ONLY; // run only scenarios whose name contains this
  for (const scenario of scenarios.filter((x) => !only || x.name.includes(only))) {
    console.log(`\n# ${scenario.name}`);
    try {
      await scenario.run(ctx);
    } catch (e) {
      console.log(`  could not run: ${e.stack ?? e.message}`);
      results.push({ budget: scenario.name, ok: false, detail: `not run: ${e.message}` });
    }
  }
  const rss = rssMb(main.pid);
  results.push({ budget: 'app RSS < 250 MB after all the load', ok: rss < 250, detail: `${rss.toFixed(0)} MB` });
} finally {
  await Promise.all(instances.map(stopChild));
  await db.end().catch(() => undefined);
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log('\nBudgets (2-core machine, app and PostgreSQL together):');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'MISS'}  ${r.budget} — ${r.detail}`);
