// Where the time goes, from a V8 CPU profile of the app (BENCH_NODE_ARGS="--cpu-prof …"):
//   node test/bench/profile-summary.mjs <file.cpuprofile> [--last SECONDS] [--top N]
// Prints self time grouped by where the code lives (our src/ files, each npm package, Node's
// internals, GC, idle) and the top functions by self time. --last keeps only the final SECONDS of
// the profile (the measured load, before shutdown) and drops start-up and set-up.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+(\.\d+)?$/.test(a));
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const lastSeconds = opt('last', 0);
const top = opt('top', 15);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
let t = 0;
const times = profile.timeDeltas.map((d) => (t += d));
const end = times[times.length - 1] ?? 0;
const from = lastSeconds > 0 ? end - lastSeconds * 1e6 : -Infinity;
profile.samples.forEach((id, i) => {
  if (times[i] < from) return;
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
});

function place(frame) {
  const url = frame.url || '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node (internals)';
  // Our code, as compiled: line numbers below are those of dist/src/….js.
  const src = url.indexOf('/dist/src/');
  if (src >= 0) return `dist/src/${url.slice(src + '/dist/src/'.length)}`;
  return url.replace(/^file:\/\//, '');
}

const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const groups = new Map();
const fns = new Map();
for (const [id, us] of selfUs) {
  const frame = byId.get(id).callFrame;
  const p = place(frame);
  groups.set(p, (groups.get(p) ?? 0) + us);
  const key = `${frame.functionName || '(anonymous)'} — ${p}:${frame.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
}
const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
const busy = total - (groups.get('(idle)') ?? 0);
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled${lastSeconds ? ` (last ${lastSeconds} s)` : ''}, ${((busy / total) * 100).toFixed(0)} % busy`);
console.log('\nself time by place:');
for (const [p, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${p}`);
console.log('\ntop functions by self time:');
for (const [f, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${f}`);
