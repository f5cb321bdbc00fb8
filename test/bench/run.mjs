// npm run bench — SPEC's performance budgets, measured (never asserted by timed tests).
// Builds the app, starts it on a throwaway embedded PostgreSQL, loads it from this process over
// loopback, and prints each budget with PASS/MISS. Scenarios register themselves in scenarios.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { load, fmt } from './load.mjs';
import { scenarios } from './scenarios.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const root = new URL('../..', import.meta.url).pathname;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

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

const dataDir = mkdtempSync(join(tmpdir(), 'mend-bench-'));
chmodSync(dataDir, 0o755);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  NODE_ENV: 'development',
  PORT: String(port),
  DATA_DIR: dataDir,
  COACH_EMAIL: 'coach@bench.test',
  COACH_PASSWORD: 'bench-coach-password',
  RATE_LIMIT_PER_MINUTE: '100000',
  LOG_LEVEL: 'warn',
};
const app = spawn(process.execPath, ['dist/src/main.js'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
const results = [];
try {
  await waitHealthy(base, app);
  const ctx = { base, port, env, root, seconds, load, fmt, results, appPid: app.pid, rssMb: () => rssMb(app.pid) };
  const health = await load({ url: `${base}/health`, connections: 32, seconds });
  console.log(`GET /health: ${fmt(health)}`);
  ctx.health = health;
  for (const scenario of scenarios) {
    console.log(`\n# ${scenario.name}`);
    try {
      await scenario.run(ctx);
    } catch (e) {
      console.log(`  could not run: ${e.message}`);
      results.push({ budget: scenario.name, ok: false, detail: `not run: ${e.message}` });
    }
  }
  const rss = rssMb(app.pid);
  results.push({ budget: 'app RSS < 250 MB after the load', ok: rss < 250, detail: `${rss.toFixed(0)} MB` });
} finally {
  app.kill('SIGTERM');
  await new Promise((r) => app.on('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
console.log('\nBudgets:');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'MISS'}  ${r.budget} — ${r.detail}`);
