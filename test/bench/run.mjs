// npm run bench — SPEC's performance budgets, measured (never asserted by timed tests).
//
// Builds the app, starts a throwaway embedded PostgreSQL and the app against it as a separate
// process (a second one for the two-instance race), and loads it with autocannon from yet another
// process (autocannon-worker.mjs): a warm-up, then BENCH_SECONDS (default 5) measured, per scenario.
// Prints a table, states each budget as met or missed, and writes bench/results.json:
//   {"scenarios":[{name, rps, p50, p95, p99, errors, ratioToHealth}],
//    "race":{attempts, created, conflicts, errors, twoInstances:{…}}, "rssMB", "budgets":[…]}
//
// Environment: BENCH_SECONDS, BENCH_WARMUP (seconds, default 2), BENCH_ONLY (comma-separated
// scenario names or parts of them; `health` always runs, ratios need it), BENCH_NODE_ARGS (node
// flags for the app processes, e.g. "--cpu-prof --cpu-prof-dir=bench/profiles"), BENCH_BUILD=0 (skip
// `nest build` when dist/ is current).
//
// Scenario modules of other features plug in without changes here: PLUGINS below lists the file
// and the scenario names it should provide. A module exports async functions named after its
// scenarios in camelCase (`mailDrain` → `mail-drain`), each called with the ctx built in main()
// and returning {name, rps, p50, p95, p99, errors} (or an array of them). A missing module or
// function shows as a "not available" row, and its budget as not measured.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bookingScenarios } from './bookings.mjs';
import { contentScenarios } from './content.mjs';
import { evaluateBudgets } from './budgets.mjs';
import { RssPeak, api, build, load, requireTs, root, rssMb, startDatabase, startInstance, stopAllInstances } from './harness.mjs';
import { fmt, load as inProcessLoad } from './in-process-load.mjs';

const PLUGINS = [
  { file: './mail.mjs', names: ['mail-drain', 'mail-confirm-during-newsletter'] },
  { file: './calendar.mjs', names: ['calendar-sync'] },
];
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 2);
const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const wanted = (name) => name === 'health' || only.length === 0 || only.some((o) => name.includes(o));
const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

async function pluginScenarios() {
  const out = [];
  for (const plugin of PLUGINS) {
    let mod = null;
    try {
      mod = await import(plugin.file);
    } catch (e) {
      if (e.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(plugin.file.slice(2))) throw e;
    }
    for (const name of plugin.names) {
      // A function, or a {name, run(ctx)} object, exported under the camelCase name (or as the default export).
      const entry = mod?.[camel(name)] ?? (mod?.default?.name === name ? mod.default : undefined);
      const run = typeof entry === 'function' ? (ctx) => entry(ctx) : typeof entry?.run === 'function' ? (ctx) => entry.run(ctx) : null;
      out.push(run ? { name, run } : { name, unavailable: mod ? `${plugin.file} has no ${camel(name)}` : `${plugin.file} not present` });
    }
  }
  return out;
}

if (process.env.BENCH_BUILD !== '0') {
  console.log('building…');
  build();
}
const db = await startDatabase();
// Ctrl-C or SIGTERM: stop the app instances and PostgreSQL rather than leave them running.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping…`);
    stopAllInstances()
      .then(() => db.stop())
      .finally(() => process.exit(130));
  });
}
const rows = [];
let race = null;
let rssPeak = null;
let rssIdle;
const extraBudgets = [];
try {
  const main = await startInstance(db);
  rssIdle = Math.round(rssMb(main.pid));
  rssPeak = new RssPeak(main.pid);
  let coachToken = null;
  const ctx = {
    base: main.base,
    seconds,
    warmupSeconds,
    databaseUrl: db.url,
    sql: db.sql,
    api: (method, path, body, token) => api(main.base, method, path, body, token),
    coachToken: async () => (coachToken ??= (await api(main.base, 'POST', '/api/auth/login', { email: 'coach@bench.test', password: 'bench-coach-password' })).token),
    /** autocannon in its own process; `body` as a function falls back to the in-process generator (marked in the table). */
    load: (opts) => {
      if (typeof opts.body === 'function') {
        return inProcessLoad({ connections: 32, seconds, ...opts }).then((r) => ({ ...r, inProcess: true }));
      }
      return load({ connections: 32, warmupSeconds, seconds, ...opts });
    },
    startInstance: (env) => startInstance(db, env),
    requireTs,
    root,
    rssMb: () => rssPeak.peak,
    mainPid: main.pid,
    fmt,
    /** Scenario modules may push {budget, ok, detail} here for budgets of their own. */
    results: extraBudgets,
  };

  const scenarios = [{ name: 'health', run: (c) => c.load({ url: `${c.base}/health` }).then((r) => ({ name: 'health', ...r })) }, ...contentScenarios, ...bookingScenarios, ...(await pluginScenarios())];
  for (const scenario of scenarios.filter((s) => wanted(s.name))) {
    process.stdout.write(`${scenario.name}… `);
    if (scenario.unavailable) {
      console.log(`not available (${scenario.unavailable})`);
      rows.push({ name: scenario.name, unavailable: scenario.unavailable });
      continue;
    }
    try {
      const out = await rssPeak.during(() => scenario.run(ctx));
      for (const r of [out].flat()) {
        if (r.race) race = { ...r.race, rssMB: Math.round(rssPeak.last) };
        else rows.push({ ...r, rssMB: Math.round(rssPeak.last) });
      }
      console.log('done');
      if (scenario.name === 'health') ctx.health = rows.find((r) => r.name === 'health');
    } catch (e) {
      console.log(`could not run: ${e.stack ?? e.message}`);
      rows.push({ name: scenario.name, unavailable: `failed: ${e.message}` });
    }
  }
} finally {
  await stopAllInstances();
  await db.stop();
}

const health = rows.find((r) => r.name === 'health' && !r.unavailable);
const ratio = (r) => (health && r.rps !== undefined && !r.unavailable ? Math.round((r.rps / health.rps) * 1000) / 1000 : null);
const rssMB = rssPeak ? Math.round(rssPeak.peak) : null;
const round2 = (x) => (typeof x === 'number' ? Math.round(x * 100) / 100 : (x ?? null));
const scenarios = rows.map((r) =>
  r.unavailable
    ? { name: r.name, rps: null, p50: null, p95: null, p99: null, errors: null, ratioToHealth: null, note: `not available: ${r.unavailable}` }
    : { name: r.name, rps: round2(r.rps), p50: round2(r.p50), p95: round2(r.p95), p99: round2(r.p99), errors: r.errors, ratioToHealth: ratio(r), rssMB: r.rssMB, ...(r.note ? { note: r.note } : {}), ...(r.inProcess ? { inProcess: true } : {}) },
);
const raceOut = race ? { attempts: race.one.attempts, created: race.one.created, conflicts: race.one.conflicts, errors: race.one.errors, twoInstances: { attempts: race.two.attempts, created: race.two.created, conflicts: race.two.conflicts, errors: race.two.errors } } : null;
const budgets = [...evaluateBudgets({ scenarios, race: raceOut, rssMB, ran: wanted }), ...extraBudgets];

const cell = (v, digits = 1) => (v === null || v === undefined ? '—' : typeof v === 'number' ? v.toFixed(digits) : String(v));
const table = [
  `| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | × /health | app RSS MB |`,
  `|---|---:|---:|---:|---:|---:|---:|---:|`,
  ...scenarios.map((s) => (s.rps === null ? `| ${s.name} | ${s.note} |||||||` : `| ${s.name}${s.inProcess ? ' (in-process load)' : ''} | ${cell(s.rps, 0)} | ${cell(s.p50)} | ${cell(s.p95)} | ${cell(s.p99)} | ${s.errors} | ${cell(s.ratioToHealth, 2)} | ${cell(s.rssMB, 0)} |`)),
];
if (raceOut) {
  table.push(`| race, 1 instance | 201×${raceOut.created}, 409×${raceOut.conflicts}, other×${raceOut.errors} of ${raceOut.attempts} |||||| ${race.rssMB} |`);
  const two = raceOut.twoInstances;
  table.push(`| race, 2 instances | 201×${two.created}, 409×${two.conflicts}, other×${two.errors} of ${two.attempts} |||||||`);
}
table.push(`| app RSS, idle after start-up ||||||| ${cell(rssIdle, 0)} |`);
table.push(`| app RSS, peak of the run ||||||| ${cell(rssMB, 0)} |`);
console.log(`\n${seconds} s measured after ${warmupSeconds} s of warm-up per scenario; load from autocannon in its own process.\n`);
console.log(table.join('\n'));
console.log('\nBudgets (SPEC "Performance and scale budgets"):');
for (const b of budgets) console.log(`  ${b.ok === null ? 'n/a ' : b.ok ? 'MET ' : 'MISS'}  ${b.budget} — ${b.detail}`);

mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify({ at: new Date().toISOString(), seconds, warmupSeconds, scenarios, race: raceOut, rssMB, rssIdleMB: rssIdle, budgets }, null, 2) + '\n');
console.log('\nwrote bench/results.json');
