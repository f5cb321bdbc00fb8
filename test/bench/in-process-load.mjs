// Fallback only: a closed-loop load generator on Node's own HTTP client, inside the bench process.
// ctx.load uses it only when a scenario passes `body` as a function (which can't cross into the
// autocannon process); such figures are marked "in-process" in the table, since the generator
// then competes with the app for the cores. Prefer `bodyTemplate` / `booking` (autocannon-worker.mjs).
import http from 'node:http';

export async function load({ url, connections = 32, seconds = 5, method = 'GET', headers = {}, body = null, expect = (s) => s < 400 }) {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('bench targets loopback only');
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const statuses = new Map();
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const one = (bodyValue) =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const payload = bodyValue == null ? null : typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue);
      const req = http.request(
        target,
        { method, agent, headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (!expect(res.statusCode)) errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      if (payload) req.write(payload);
      req.end();
    });
  let seq = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) await one(typeof body === 'function' ? body(seq++) : body);
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    errors,
    statuses: Object.fromEntries(statuses),
  };
}

/** One line for a result (kept for scenario modules written against the first bench). */
export function fmt(r) {
  return `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}, statuses ${JSON.stringify(r.statuses)}`;
}
