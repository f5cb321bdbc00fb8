// Scheduling and booking budgets from SPEC: slots with 2 000 bookings, booking creation rate,
// and 200 concurrent bookings of one slot (one instance and two).
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

let prepared = null;
async function prepare(ctx) {
  if (prepared) return prepared;
  const { token } = await api(ctx.base, 'POST', '/api/auth/login', { email: 'coach@bench.test', password: 'bench-coach-password' });
  await api(ctx.base, 'PUT', '/api/availability', {
    timeZone: 'UTC',
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
    overrides: [],
  }, token);
  await api(ctx.base, 'POST', '/api/session-types', {
    name: 'Bench session', slug: 'bench', description: 'Load test', durationMinutes: 30, price: 0, currency: 'usd',
    bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, bookingWindowDays: 730, slotIntervalMinutes: 30, location: 'Video call', active: true,
  }, token);
  const [{ id: typeId, coach_id: coachId }] = await ctx.sql(`SELECT id, coach_id FROM session_types WHERE slug = 'bench'`);
  await ctx.sql(`INSERT INTO users (email, name, role) VALUES ('bench-client@bench.test', 'Bench Client', 'client') ON CONFLICT DO NOTHING`);
  const [{ id: clientId }] = await ctx.sql(`SELECT id FROM users WHERE email = 'bench-client@bench.test'`);
  // 2 000 confirmed bookings, one every 2 hours from tomorrow on (~167 days), 30 minutes each.
  await ctx.sql(
    `INSERT INTO bookings (coach_id, client_id, session_type_id, status, start_at, end_at, busy_start, busy_end,
                           client_name, client_email, client_time_zone, price, currency, manage_token_hash)
     SELECT $1, $2, $3, 'confirmed', s, s + interval '30 minutes', s, s + interval '30 minutes',
            'Bench Client', 'bench-client@bench.test', 'UTC', 0, 'usd', md5(random()::text || g::text)
     FROM generate_series(1, 2000) AS g, LATERAL (SELECT date_trunc('day', now()) + interval '1 day' + (g * interval '2 hours') AS s) x`,
    [coachId, clientId, typeId],
  );
  prepared = { token, typeId };
  return prepared;
}

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export const bookingScenarios = [
  {
    name: 'slots for 7 days with 2 000 bookings in the database',
    async run(ctx) {
      await prepare(ctx);
      const url = `${ctx.base}/api/session-types/bench/slots?from=${day(3)}&to=${day(9)}&timeZone=Europe/London`;
      const check = await (await fetch(url)).json();
      console.log(`  ${check.slots.length} slots in the window`);
      const r = await ctx.load({ url, connections: 32, seconds: ctx.seconds });
      console.log(`  ${ctx.fmt(r)}`);
      ctx.results.push({ budget: 'slots, 7 days, 2 000 bookings: p95 < 25 ms at 32 connections', ok: r.p95 < 25 && r.errors === 0, detail: `p95 ${r.p95.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s` });
    },
  },
  {
    name: 'booking creation on distinct slots',
    async run(ctx) {
      await prepare(ctx);
      // Distinct free slots: 30-minute steps far in the future (bookings above cover ~167 days).
      const startBase = Date.parse(`${day(200)}T00:00:00Z`);
      const r = await ctx.load({
        url: `${ctx.base}/api/bookings`,
        method: 'POST',
        connections: 32,
        seconds: ctx.seconds,
        body: (i) => ({ sessionType: 'bench', start: new Date(startBase + i * 30 * 60_000).toISOString().replace('.000Z', 'Z'), name: 'Load Tester', email: `load${i % 500}@bench.test`, timeZone: 'UTC' }),
        expect: (s) => s === 201,
      });
      console.log(`  ${ctx.fmt(r)}`);
      ctx.results.push({ budget: 'booking creation on distinct slots ≥ 500/s', ok: r.rps >= 500 && r.errors === 0, detail: `${r.rps.toFixed(0)} bookings/s, ${r.errors} not 201` });
    },
  },
  {
    name: '200 concurrent bookings of one slot (one instance, then two)',
    async run(ctx) {
      await prepare(ctx);
      const second = await ctx.startInstance();
      try {
        for (const [label, bases, offset] of [['one instance', [ctx.base], 300], ['two instances', [ctx.base, second.base], 301]]) {
          const start = `${day(offset)}T10:00:00Z`;
          const statuses = await Promise.all(
            Array.from({ length: 200 }, (_, i) =>
              fetch(`${bases[i % bases.length]}/api/bookings`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ sessionType: 'bench', start, name: 'Racer', email: `racer${i}@bench.test`, timeZone: 'UTC' }),
              }).then((res) => res.status, () => 0),
            ),
          );
          const count = (s) => statuses.filter((x) => x === s).length;
          const fivexx = statuses.filter((x) => x >= 500 || x === 0).length;
          console.log(`  ${label}: 201×${count(201)}, 409×${count(409)}, 5xx/errors×${fivexx}`);
          ctx.results.push({ budget: `200 concurrent bookings of one slot (${label}): exactly one 201, the rest 409, no 5xx`, ok: count(201) === 1 && count(409) === 199 && fivexx === 0, detail: `201×${count(201)}, 409×${count(409)}, 5xx×${fivexx}` });
        }
      } finally {
        await second.stop();
      }
    },
  },
];
