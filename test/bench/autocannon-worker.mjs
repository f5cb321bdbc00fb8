// The load generator, in a process of its own (so it never competes with the app's event loop):
// `node autocannon-worker.mjs '<json options>'` runs autocannon for a warm-up (not counted), then
// for the measured duration, and prints one JSON line:
//   {requests, seconds, rps, p50, p95, p99, errors, statuses}
// Latencies are every response's own time (autocannon's summary has no p95).
//
// Options: url, connections, warmupSeconds, seconds | amount (a fixed number of requests),
// method, headers, body (string or JSON value), bodyTemplate (JSON with "[<id>]" replaced by a
// number unique to the run) or booking ({slug, baseMs, stepMinutes, startIndex}: distinct
// 30-minute slots), expectStatus (default: any status below 400).
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
const expected = (status) => (opts.expectStatus ? opts.expectStatus.includes(status) : status < 400);

let seq = opts.startIndex ?? 0;
function nextBody() {
  if (opts.booking) {
    const { slug, baseMs, stepMinutes, email } = opts.booking;
    const i = seq++;
    const start = new Date(baseMs + i * stepMinutes * 60_000).toISOString().replace('.000Z', 'Z');
    return JSON.stringify({ sessionType: slug, start, name: 'Load Tester', email: email ?? `load${i % 500}@bench.test`, timeZone: 'UTC' });
  }
  if (opts.bodyTemplate) return JSON.stringify(opts.bodyTemplate).replaceAll('[<id>]', String(seq++));
  if (opts.body === undefined || opts.body === null) return undefined;
  return typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
}

function run({ seconds, amount, record }) {
  return new Promise((resolve, reject) => {
    const dynamic = Boolean(opts.booking || opts.bodyTemplate);
    const headers = { ...(opts.body !== undefined || dynamic ? { 'content-type': 'application/json' } : {}), ...(opts.headers ?? {}) };
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections ?? 32,
        ...(amount ? { amount } : { duration: seconds }),
        method: opts.method ?? 'GET',
        headers,
        body: dynamic ? undefined : nextBody(),
        requests: dynamic ? [{ setupRequest: (req) => ({ ...req, body: nextBody() }) }] : undefined,
        timeout: 30,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('response', (_client, status, _bytes, ms) => record?.(status, ms));
  });
}

if (opts.warmupSeconds > 0 && !opts.amount) await run({ seconds: opts.warmupSeconds });

const latencies = [];
const statuses = {};
let unexpected = 0;
const started = process.hrtime.bigint();
const result = await run({
  seconds: opts.seconds,
  amount: opts.amount,
  record: (status, ms) => {
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (!expected(status)) unexpected++;
  },
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : null);
const round = (x) => (x === null ? null : Math.round(x * 100) / 100);
process.stdout.write(
  JSON.stringify({
    requests: latencies.length,
    seconds: round(seconds),
    rps: round(latencies.length / seconds),
    p50: round(pct(50)),
    p95: round(pct(95)),
    p99: round(pct(99)),
    // Wrong statuses, connection errors and timeouts alike.
    errors: unexpected + result.errors, // autocannon counts timeouts among its errors
    statuses,
  }) + '\n',
);
