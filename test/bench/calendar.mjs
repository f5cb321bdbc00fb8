// The external-calendar budget from SPEC: a 5 000-event feed (200 of them recurring) syncs in < 2 s,
// and slots are unaffected. Serves the feed from this process, subscribes the coach to it through
// the API and times POST /api/calendars/:id/sync (fetch → parse → expand → replace busy ranges).
// Exports the `calendar-sync` scenario: run(ctx) with ctx.base (the app's URL) answers
// {name, rps, p50, p95, p99, errors} (times in ms).
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

const COACH = { email: process.env.BENCH_COACH_EMAIL ?? 'coach@bench.test', password: process.env.BENCH_COACH_PASSWORD ?? 'bench-coach-password' };

async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const stamp = (d) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const wall = (d) => stamp(d).slice(0, 15);

/** A Google-shaped feed: `total` events, `recurring` of them weekly series (some with EXDATEs). */
export function bigFeed(total = 5000, recurring = 200, now = Date.now()) {
  const lines = ['BEGIN:VCALENDAR', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'VERSION:2.0', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-TIMEZONE:America/New_York'];
  const hour = 3_600_000;
  for (let i = 0; i < total; i++) {
    // Spread over the past year and the next two, on the hour between 08:00 and 18:00 UTC.
    const day = Math.floor(now / 86_400_000) - 365 + (i % 1095);
    const start = new Date(day * 86_400_000 + (8 + (i % 10)) * hour);
    const end = new Date(start.getTime() + (i % 3 === 0 ? 30 : 60) * 60_000);
    lines.push('BEGIN:VEVENT');
    if (i < recurring) {
      lines.push(`DTSTART;TZID=America/New_York:${wall(start)}`, `DTEND;TZID=America/New_York:${wall(end)}`);
      lines.push(i % 2 ? 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE' : `RRULE:FREQ=WEEKLY;INTERVAL=${1 + (i % 3)}`);
      if (i % 5 === 0) lines.push(`EXDATE;TZID=America/New_York:${wall(new Date(start.getTime() + 14 * 86_400_000))}`);
    } else {
      lines.push(`DTSTART:${stamp(start)}`, `DTEND:${stamp(end)}`);
    }
    lines.push(`DTSTAMP:${stamp(new Date(now))}`, `UID:bench-${i}@google.com`, `SUMMARY:Event ${i}`, i % 17 === 0 ? 'TRANSP:TRANSPARENT' : 'TRANSP:OPAQUE', 'STATUS:CONFIRMED', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
}

export const calendarSync = {
  name: 'calendar-sync',
  async run(ctx) {
    const rounds = Number(ctx.rounds ?? process.env.BENCH_CALENDAR_ROUNDS ?? 10);
    const { token } = await api(ctx.base, 'POST', '/api/auth/login', COACH);
    // The window Mend expands a feed over is the coach's longest booking window: make it the
    // bench's two years whether or not the booking scenarios ran first (the same figure either way).
    await api(ctx.base, 'POST', '/api/session-types', {
      name: 'Bench calendar horizon', slug: 'bench-calendar', description: 'Load test', durationMinutes: 30, price: 0, currency: 'usd',
      bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, bookingWindowDays: 730, slotIntervalMinutes: 30, location: 'Video call', active: true,
    }, token).catch((e) => {
      if (!/→ 409/.test(e.message)) throw e; // made by an earlier run against the same database
    });
    const body = bigFeed();
    let version = 0;
    // A new ETag every time, so each sync fetches, parses and stores the whole feed.
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/calendar', etag: `"b${++version}"` }).end(body));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const feedUrl = `http://127.0.0.1:${server.address().port}/calendar/ical/bench/private-x/basic.ics`;
    const times = [];
    let errors = 0;
    const began = Date.now();
    try {
      const cal = await api(ctx.base, 'POST', '/api/calendars', { name: 'Bench feed', url: feedUrl }, token);
      if (cal.lastError) throw new Error(`the bench feed did not sync: ${cal.lastError}`);
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        try {
          const r = await api(ctx.base, 'POST', `/api/calendars/${cal.id}/sync`, null, token);
          if (r.lastError) errors++;
        } catch {
          errors++;
        }
        times.push(performance.now() - t0);
      }
      await api(ctx.base, 'DELETE', `/api/calendars/${cal.id}`, null, token);
    } finally {
      server.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      name: 'calendar-sync',
      rps: times.length / ((Date.now() - began) / 1000),
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      errors,
      budget: 'an external calendar of 5 000 events (200 recurring) syncs in < 2 s (p95)',
      ok: errors === 0 && percentile(sorted, 95) < 2000,
    };
  },
};

export default calendarSync;
