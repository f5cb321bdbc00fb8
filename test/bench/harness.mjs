// What every bench scenario runs on: a throwaway embedded PostgreSQL, app instances as separate
// processes (the built app, dist/src/main.js), and load from autocannon in a process of its own.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import pg from 'pg';

const require = createRequire(import.meta.url);
export const root = new URL('../..', import.meta.url).pathname;
const worker = new URL('./autocannon-worker.mjs', import.meta.url).pathname;

export function build() {
  if (spawnSync('npx', ['nest', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
}

/** TypeScript modules of the repository (e.g. test/support/mail-catcher.ts), loaded through ts-node. */
export function requireTs(path) {
  require('ts-node/register/transpile-only');
  return require(join(root, path));
}

export async function startDatabase() {
  const { startEmbeddedPostgres } = requireTs('src/database/embedded-postgres.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'mend-bench-'));
  chmodSync(dataDir, 0o755);
  const database = await startEmbeddedPostgres({ dir: join(dataDir, 'pg'), database: 'mend_bench' });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    url: database.url,
    // What `npm start` gives the app with the embedded database: its Unix socket.
    localUrl: database.localUrl,
    dataDir,
    sql: (text, params) => client.query(text, params).then((r) => r.rows),
    async stop() {
      await client.end().catch(() => undefined);
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitReady(base, child) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('the app exited during start-up');
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the app did not become ready');
}

const children = new Set();

/** The node flags the app runs with (package.json's `start` script), so the bench measures that process. */
export const appNodeArgs = (() => {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  const flags = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js/.exec(start);
  return flags ? flags[1].split(/\s+/).filter(Boolean) : [];
})();

/** Starts the app (`node <start script's flags> dist/src/main.js`) against the bench database; BENCH_NODE_ARGS (e.g. --cpu-prof) go to node too. */
export async function startInstance(db, extraEnv = {}) {
  const { freePort } = requireTs('src/database/embedded-postgres.ts');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.localUrl,
    COACH_EMAIL: 'coach@bench.test',
    COACH_PASSWORD: 'bench-coach-password',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...appNodeArgs, ...nodeArgs, 'dist/src/main.js'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  await waitReady(base, child);
  return { base, pid: child.pid, stop: () => stopChild(child) };
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  return exited;
}

export const stopAllInstances = () => Promise.all([...children].map(stopChild));

/** The app's resident memory in MB (ps). */
export function rssMb(pid) {
  const out = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)]).stdout.toString().trim();
  return out ? Number(out) / 1024 : NaN;
}

/** Samples a process's RSS every 250 ms while `fn` runs; returns fn's value and keeps the peak. */
export class RssPeak {
  constructor(pid) {
    this.pid = pid;
    this.peak = 0;
  }
  /** Runs fn while sampling; `last` is the peak during this call alone. */
  async during(fn) {
    this.last = 0;
    const sample = () => {
      this.last = Math.max(this.last, rssMb(this.pid) || 0);
      this.peak = Math.max(this.peak, this.last);
    };
    const timer = setInterval(sample, 250);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
      sample();
    }
  }
}

/**
 * Load from autocannon in a child process (see autocannon-worker.mjs for the options): warm-up,
 * then `seconds` measured. Resolves {requests, seconds, rps, p50, p95, p99, errors, statuses}.
 */
export function load(options) {
  if (typeof options.body === 'function') throw new Error('load(): body must be data (a function cannot cross into the load process); use bodyTemplate or booking');
  const target = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('bench targets loopback only');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(options)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) return reject(new Error(`autocannon exited with ${code}`));
      resolve(JSON.parse(line));
    });
  });
}

/** JSON API call from the bench process (set-up only, never measured). */
export async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
