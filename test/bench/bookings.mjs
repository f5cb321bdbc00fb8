// Scheduling and booking scenarios: slots for 7 days with 2 000 bookings (`slots-7d`), booking
// creation on distinct slots (`book-distinct`), and 200 concurrent bookings of one slot on one
// instance and on two (`race`).
let prepared = null;
async function prepare(ctx) {
  if (prepared) return prepared;
  const token = await ctx.coachToken();
  await ctx.api('PUT', '/api/availability', {
    timeZone: 'UTC',
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
    overrides: [],
  }, token);
  await ctx.api('POST', '/api/session-types', {
    name: 'Bench session', slug: 'bench', description: 'Load test', durationMinutes: 30, price: 0, currency: 'usd',
    bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, bookingWindowDays: 730, slotIntervalMinutes: 30, location: 'Video call', active: true,
  }, token);
  const [{ id: typeId, coach_id: coachId }] = await ctx.sql(`SELECT id, coach_id FROM session_types WHERE slug = 'bench'`);
  await ctx.sql(`INSERT INTO users (email, name, role) VALUES ('bench-client@bench.test', 'Bench Client', 'client') ON CONFLICT DO NOTHING`);
  const [{ id: clientId }] = await ctx.sql(`SELECT id FROM users WHERE email = 'bench-client@bench.test'`);
  // 2 000 confirmed bookings, one every 2 hours from tomorrow on (~167 days), 30 minutes each:
  // straight into the table (fast), or through the API if the table's shape has moved on.
  try {
    await ctx.sql(
      `INSERT INTO bookings (coach_id, client_id, session_type_id, status, start_at, end_at, busy_start, busy_end,
                             client_name, client_email, client_time_zone, price, currency, manage_token_hash)
       SELECT $1, $2, $3, 'confirmed', s, s + interval '30 minutes', s, s + interval '30 minutes',
              'Bench Client', 'bench-client@bench.test', 'UTC', 0, 'usd', md5(random()::text || g::text)
       FROM generate_series(1, 2000) AS g, LATERAL (SELECT date_trunc('day', now()) + interval '1 day' + (g * interval '2 hours') AS s) x`,
      [coachId, clientId, typeId],
    );
  } catch (e) {
    console.log(`\n  (seeding bookings by SQL failed: ${e.message}; booking them through the API instead)`);
    const tomorrow = Date.parse(`${day(1)}T00:00:00Z`);
    const r = await ctx.load({
      url: `${ctx.base}/api/bookings`, method: 'POST', connections: 16, amount: 2000, warmupSeconds: 0, startIndex: 1,
      booking: { slug: 'bench', baseMs: tomorrow, stepMinutes: 120 }, expectStatus: [201],
    });
    if (r.errors) throw new Error(`${r.errors} of 2 000 seed bookings failed: ${JSON.stringify(r.statuses)}`, { cause: e });
  }
  await ctx.sql('ANALYZE bookings');
  prepared = { token, typeId };
  return prepared;
}

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** 200 bookings of one slot at once, split over the given instances; counts 201s, 409s and the rest. */
async function race(ctx, bases, start) {
  const per = Math.ceil(200 / bases.length);
  const runs = await Promise.all(
    bases.map((base, i) =>
      ctx.load({
        url: `${base}/api/bookings`,
        method: 'POST',
        connections: per,
        amount: per,
        warmupSeconds: 0,
        startIndex: i * per,
        bodyTemplate: { sessionType: 'bench', start, name: 'Racer', email: 'racer[<id>]@bench.test', timeZone: 'UTC' },
        expectStatus: [201, 409],
      }),
    ),
  );
  const count = (s) => runs.reduce((n, r) => n + (r.statuses[s] ?? 0), 0);
  const attempts = runs.reduce((n, r) => n + r.requests, 0);
  const created = count(201);
  const conflicts = count(409);
  return { instances: bases.length, attempts: 200, created, conflicts, errors: 200 - created - conflicts, answered: attempts };
}

export const bookingScenarios = [
  {
    name: 'slots-7d',
    async run(ctx) {
      await prepare(ctx);
      const url = `${ctx.base}/api/session-types/bench/slots?from=${day(3)}&to=${day(9)}&timeZone=Europe/London`;
      const check = await (await fetch(url)).json();
      const r = await ctx.load({ url, connections: 32 });
      return { name: 'slots-7d', ...r, note: `${check.slots.length} slots in the window` };
    },
  },
  {
    name: 'book-distinct',
    async run(ctx) {
      await prepare(ctx);
      // Distinct free 30-minute slots from day 200 on (the 2 000 bookings above end near day 167);
      // the warm-up books its own slots first, from startIndex 0, the measured run continues after.
      const r = await ctx.load({
        url: `${ctx.base}/api/bookings`,
        method: 'POST',
        connections: 32,
        booking: { slug: 'bench', baseMs: Date.parse(`${day(200)}T00:00:00Z`), stepMinutes: 30 },
        expectStatus: [201],
      });
      return { name: 'book-distinct', ...r, note: 'bookings per second' };
    },
  },
  {
    name: 'race',
    async run(ctx) {
      await prepare(ctx);
      const one = await race(ctx, [ctx.base], `${day(600)}T10:00:00Z`);
      const second = await ctx.startInstance();
      try {
        const two = await race(ctx, [ctx.base, second.base], `${day(601)}T10:00:00Z`);
        return { race: { one, two } };
      } finally {
        await second.stop();
      }
    },
  },
];
