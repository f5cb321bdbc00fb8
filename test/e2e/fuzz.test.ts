import { COACH_EMAIL, COACH_PASSWORD, startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/**
 * "No input makes a 500": walks /api/docs-json and every page form reachable from the site's
 * links, and sends each operation odd values for each parameter and field, as the coach and as
 * nobody. Fails on any 5xx, on an answer slower than a second (a correctness bound: a hostile
 * input must not stall the server, not a benchmark) or on a dead process.
 *
 * Requests go through Fastify's inject (no sockets), one at a time, so one slow answer is its own.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  example?: Json;
  enum?: Json[];
  required?: string[];
  format?: string;
  allOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: Schema; example?: Json }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Answer {
  status: number;
  ms: number;
  text: string;
  headers: Record<string, unknown>;
}

const SLOW_MS = 1000;
/** Requests in flight at once: enough to overlap database round trips, few enough that a slow answer is its own. */
const CONCURRENCY = 3;

async function pool(tasks: (() => Promise<unknown>)[], size: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: size }, worker));
}
const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const manyKeys = (n: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
const nested = (n: number): Json => (n === 0 ? 'x' : { a: nested(n - 1) });

/** Odd values for one JSON field. */
const FIELD_VALUES: Json[] = [
  'a\u0000b',
  '\ud800',
  'x'.repeat(100_000),
  null,
  true,
  1e308,
  [[[]]],
  { a: 1 },
  nested(40),
  '2026-02-30T10:00:00Z',
  '+01:00',
  '../../etc/passwd',
  'NaN',
];

/** Odd raw (already percent-encoded) values for a path segment, a query parameter or a form field. */
const RAW_VALUES = [
  'a%00b',
  '%ED%A0%80', // an encoded lone surrogate: not UTF-8
  'x'.repeat(100_000),
  '..%2F..%2Fetc%2Fpasswd',
  '2026-02-30',
  '%2B01%3A00',
  '1e308',
  'NaN',
  '%0D%0A%09%2F%2Fevil.example%E2%80%A8',
];

/** Whole JSON bodies that are odd in themselves. */
const WHOLE_BODIES: string[] = [
  deep(5000),
  JSON.stringify(manyKeys(80_000)),
  JSON.stringify(manyKeys(3000)),
  'null',
  '[]',
  '"text"',
  '{"a":',
];

describe('Fuzz: no input makes a 500', () => {
  let t: TestApp;
  let coachToken: string;
  let coachCookie: string;
  /** Real ids, so operations get past "not found" to the code that uses their input. */
  const ids: Record<string, string> = {};
  const failures: string[] = [];
  let requests = 0;
  const costs = new Map<string, number>();

  async function send(
    method: string,
    url: string,
    opts: { headers?: Record<string, string>; payload?: string } = {},
  ): Promise<Answer> {
    const started = performance.now();
    const res = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: method as 'GET', url, headers: opts.headers, payload: opts.payload });
    const ms = performance.now() - started;
    requests++;
    const k = `${method} ${url.split('?')[0].slice(0, 40)}`;
    costs.set(k, (costs.get(k) ?? 0) + ms);
    const what = `${method} ${url.slice(0, 120)}${opts.payload ? ` body ${opts.payload.slice(0, 120)}` : ''}`;
    if (res.statusCode >= 500)
      failures.push(`${res.statusCode} ← ${what}: ${res.body.slice(0, 200)}`);
    if (ms > SLOW_MS) {
      // A busy machine (a CI runner, other test files in parallel) can delay any one answer; an
      // input that really costs that much is slow again when sent alone, so that is what fails.
      const again = performance.now();
      await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: method as 'GET', url, headers: opts.headers, payload: opts.payload });
      const retryMs = performance.now() - again;
      if (retryMs > SLOW_MS)
        failures.push(`${Math.round(ms)} ms, then ${Math.round(retryMs)} ms alone ← ${what}`);
    }
    return { status: res.statusCode, ms, text: res.body, headers: res.headers };
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    coachToken = await setUpCoach(t, 'call', { durationMinutes: 30 });
    await setUpCoach(t, 'paid', { durationMinutes: 30, price: 5000 });
    // Something to act on: a booking (with its manage link) and a post.
    const [slot, other] = await openSlots(t, 'call', dayFromNow(3));
    const booking = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('call', slot.start))
      .expect(201);
    const second = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('call', other.start, 'other@example.com'))
      .expect(201);
    ids.booking = booking.body.id;
    ids.token = new URL(booking.body.manageUrl).searchParams.get('token')!;
    ids.cancelBooking = second.body.id;
    ids.cancelToken = new URL(second.body.manageUrl).searchParams.get('token')!;
    await t
      .http()
      .post('/api/program/enrollments/grant')
      .set('authorization', `Bearer ${coachToken}`)
      .send({ email: 'member@example.com' });
    const one = async (sql: string): Promise<string> =>
      ((await t.dataSource.query(sql)) as { v: string }[])[0]?.v ??
      '00000000-0000-4000-8000-000000000000';
    ids.sessionType = await one(`SELECT id AS v FROM session_types WHERE slug = 'call'`);
    ids.post = await one(`SELECT id AS v FROM posts ORDER BY created_at LIMIT 1`);
    ids.postSlug = await one(`SELECT slug AS v FROM posts ORDER BY created_at LIMIT 1`);
    ids.client = await one(
      `SELECT id AS v FROM users WHERE role = 'client' ORDER BY created_at LIMIT 1`,
    );
    ids.enrollment = await one(`SELECT id AS v FROM enrollments ORDER BY created_at LIMIT 1`);
    const login = await t
      .http()
      .post('/login')
      .type('form')
      .send({ email: COACH_EMAIL, password: COACH_PASSWORD });
    coachCookie = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    if (!coachCookie.includes('mend_session=')) {
      // /login needs a CSRF token: take one from the form first.
      const page = await t.http().get('/login');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const cookies = ([] as string[])
        .concat(page.headers['set-cookie'] ?? [])
        .map((c) => c.split(';')[0]);
      const res = await t
        .http()
        .post('/login')
        .set('cookie', cookies.join('; '))
        .type('form')
        .send({ _csrf: csrf, email: COACH_EMAIL, password: COACH_PASSWORD });
      coachCookie = [
        ...cookies,
        ...([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]),
      ].join('; ');
    }
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    failures.length = 0;
  });

  function resolve(spec: Spec, s: Schema | undefined): Schema {
    if (!s) return {};
    if (s.$ref) return resolve(spec, spec.components?.schemas?.[s.$ref.split('/').pop()!]);
    if (s.allOf?.length) return resolve(spec, s.allOf[0]);
    return s;
  }

  /** A plausible value for a schema (its example when it has one). */
  function sample(spec: Spec, raw: Schema | undefined, depth = 0): Json {
    const s = resolve(spec, raw);
    if (s.example !== undefined) return s.example;
    if (s.enum?.length) return s.enum[0];
    switch (s.type) {
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return true;
      case 'array':
        return depth > 3 ? [] : [sample(spec, s.items, depth + 1)];
      case 'object':
      case undefined:
        if (!s.properties || depth > 3) return {};
        return Object.fromEntries(
          Object.entries(s.properties).map(([k, v]) => [k, sample(spec, v, depth + 1)]),
        );
      default:
        return s.format === 'date-time'
          ? new Date(Date.now() + 3 * 86_400_000).toISOString()
          : 'text';
    }
  }

  const identities = (): { name: string; headers: Record<string, string> }[] => [
    { name: 'coach', headers: { authorization: `Bearer ${coachToken}` } },
    { name: 'nobody', headers: {} },
  ];

  it('walks every API operation in /api/docs-json with odd parameters and fields', async () => {
    const spec = JSON.parse((await send('GET', '/api/docs-json')).text) as Spec;
    const operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(operations.length).toBeGreaterThan(30);
    const tasks: (() => Promise<unknown>)[] = [];
    const later = (...args: Parameters<typeof send>): void => {
      tasks.push(() => send(...args));
    };
    for (const { path, method, op } of operations) {
      // Signing the coach out would end the walk's coach session.
      if (path === '/api/auth/logout') continue;
      const params = op.parameters ?? [];
      const real = (name: string): string => {
        if (name === 'n') return '1';
        if (name === 'slug') return path.startsWith('/api/posts') ? ids.postSlug : 'call';
        if (path.startsWith('/api/bookings/{id}/cancel')) return ids.cancelBooking;
        if (path.startsWith('/api/bookings')) return ids.booking;
        if (path.startsWith('/api/session-types')) return ids.sessionType;
        if (path.startsWith('/api/posts')) return ids.post;
        if (path.startsWith('/api/clients')) return ids.client;
        if (path.startsWith('/api/program/enrollments')) return ids.enrollment;
        return '00000000-0000-4000-8000-000000000000';
      };
      const pathValues = (over?: [string, string]): string =>
        path.replace(/\{(\w+)\}/g, (_m, name: string) =>
          over && over[0] === name ? over[1] : real(name),
        );
      const queryValue = (p: { name: string; schema?: Schema; example?: Json }): string =>
        p.name === 'token'
          ? path.includes('/cancel')
            ? ids.cancelToken
            : ids.token
          : String(p.example ?? sample(spec, p.schema));
      const baseQuery = params
        .filter((p) => p.in === 'query')
        .map((p) => `${p.name}=${encodeURIComponent(queryValue(p))}`);
      const query = (q: string[]): string => (q.length ? `?${q.join('&')}` : '');
      const schema = resolve(spec, op.requestBody?.content?.['application/json']?.schema);
      const baseBody = op.requestBody ? (sample(spec, schema) as Record<string, Json>) : undefined;
      for (const who of identities()) {
        const json = (body: string | undefined) =>
          body === undefined
            ? { headers: who.headers }
            : { headers: { ...who.headers, 'content-type': 'application/json' }, payload: body };
        const base = baseBody === undefined ? undefined : JSON.stringify(baseBody);
        const first = await send(method, pathValues() + query(baseQuery), json(base));
        // Refused for who this is (401/403): the guard answers before any input is read; probe lightly.
        if (first.status === 401 || first.status === 403) {
          later(method, pathValues() + query(baseQuery), json(WHOLE_BODIES[0]));
          continue;
        }
        for (const p of params.filter((x) => x.in === 'path')) {
          for (const v of RAW_VALUES)
            if (v !== '') later(method, pathValues([p.name, v]) + query(baseQuery), json(base));
        }
        for (const [i, p] of params.filter((x) => x.in === 'query').entries()) {
          for (const v of RAW_VALUES) {
            const q = [...baseQuery];
            q[i] = `${p.name}=${v}`;
            later(method, pathValues() + query(q), json(base));
          }
          later(
            method,
            pathValues() + query([...baseQuery, `${p.name}=a`, `${p.name}=b`]),
            json(base),
          );
        }
        if (
          baseBody !== undefined &&
          typeof baseBody === 'object' &&
          baseBody !== null &&
          !Array.isArray(baseBody)
        ) {
          for (const field of Object.keys(schema.properties ?? {})) {
            for (const v of FIELD_VALUES)
              later(
                method,
                pathValues() + query(baseQuery),
                json(JSON.stringify({ ...baseBody, [field]: v })),
              );
          }
          later(method, pathValues() + query(baseQuery), {
            headers: { ...who.headers, 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'a=1',
          });
          later(method, pathValues() + query(baseQuery), {
            headers: { ...who.headers, 'content-type': 'text/plain' },
            payload: base!,
          });
        }
        if (method !== 'GET')
          for (const body of WHOLE_BODIES)
            later(method, pathValues() + query(baseQuery), json(body));
      }
    }
    await pool(tasks, CONCURRENCY);
    const health = await send('GET', '/health');
    expect(health.status).toBe(200);
    expect(failures).toEqual([]);
  });

  /** Same-site links and POST forms of a page. */
  function parsePage(html: string): {
    links: string[];
    forms: { action: string; fields: Record<string, string> }[];
  } {
    const links = [...html.matchAll(/href="(\/[^"#]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)]
      .filter((m) => /method="post"/i.test(m[1]) && !/multipart/i.test(m[1]))
      .map((m) => {
        const action = (/action="([^"]*)"/.exec(m[1])?.[1] ?? '').replace(/&amp;/g, '&');
        const fields: Record<string, string> = {};
        for (const f of m[2].matchAll(/<(input|textarea|select)\b([^>]*)>/g)) {
          const name = /name="([^"]+)"/.exec(f[2])?.[1];
          if (name)
            fields[name] = (/value="([^"]*)"/.exec(f[2])?.[1] ?? 'text').replace(/&amp;/g, '&');
        }
        return { action, fields };
      });
    return { links, forms };
  }

  it('walks every page form reachable from the site, as the coach and as nobody', async () => {
    for (const who of [
      { name: 'coach', cookie: coachCookie },
      { name: 'nobody', cookie: '' },
    ]) {
      const seen = new Set<string>();
      const queue = [
        '/',
        '/coach',
        '/book',
        '/blog',
        '/program',
        '/account',
        '/login',
        '/signup',
        '/password-reset',
        '/newsletter/unsubscribe',
      ];
      const forms = new Map<string, { page: string; fields: Record<string, string> }>();
      while (queue.length && seen.size < 80) {
        const page = queue.shift()!;
        // One page per route shape is enough (…/id-1 and …/id-2 have the same forms).
        const shape = page.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\?.*/, '');
        if (
          seen.has(shape) ||
          /^\/(public|logout|api)\b/.test(page) ||
          page.endsWith('.csv') ||
          page.endsWith('.ics')
        )
          continue;
        seen.add(shape);
        const res = await send('GET', page, { headers: who.cookie ? { cookie: who.cookie } : {} });
        if (res.status !== 200 || !String(res.headers['content-type'] ?? '').includes('text/html'))
          continue;
        const { links, forms: found } = parsePage(res.text);
        queue.push(...links);
        for (const f of found)
          if (f.action && !forms.has(f.action.replace(/\?.*/, '')))
            forms.set(f.action.replace(/\?.*/, ''), { page, fields: f.fields });
      }
      expect(forms.size).toBeGreaterThanOrEqual(who.name === 'coach' ? 10 : 3);
      for (const [action, { page, fields }] of forms) {
        if (action === '/logout') continue;
        // A fresh CSRF pair from the form's own page.
        const form = await send('GET', page, { headers: who.cookie ? { cookie: who.cookie } : {} });
        const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
        const set = ([] as string[])
          .concat((form.headers['set-cookie'] as string | string[] | undefined) ?? [])
          .map((c) => c.split(';')[0]);
        const cookie = [...set, ...(who.cookie ? [who.cookie] : [])].join('; ');
        const encode = (values: Record<string, string>, raw?: [string, string]) =>
          Object.entries({ ...values, _csrf: csrf })
            .map(
              ([k, v]) =>
                `${encodeURIComponent(k)}=${raw && raw[0] === k ? raw[1] : encodeURIComponent(v)}`,
            )
            .join('&');
        const posts: (() => Promise<unknown>)[] = [];
        const post = (payload: string, type = 'application/x-www-form-urlencoded'): void => {
          posts.push(() =>
            send('POST', action, { headers: { cookie, 'content-type': type }, payload }),
          );
        };
        post(encode(fields));
        for (const name of Object.keys(fields).filter((n) => n !== '_csrf')) {
          for (const v of RAW_VALUES) post(encode(fields, [name, v]));
          post(`${encode(fields)}&${encodeURIComponent(name)}=again`);
        }
        post(JSON.stringify({ ...fields, _csrf: csrf }), 'application/json');
        post(encode(fields), 'text/plain');
        await pool(posts, CONCURRENCY);
      }
      // The pages themselves with odd query values.
      for (const shape of seen) {
        for (const v of ['2026-02-30', '%2B01%3A00%09%2F%2Fevil.example%E2%80%A8']) {
          await send(
            'GET',
            `${shape.replace(/:id/g, '00000000-0000-4000-8000-000000000000')}?next=${v}&tz=${v}&start=${v}&token=${v}&from=${v}&page=${v}`,
            {
              headers: who.cookie ? { cookie: who.cookie } : {},
            },
          );
        }
        await send(
          'GET',
          `${shape.replace(/:id/g, '00000000-0000-4000-8000-000000000000')}?token=a&token=b&start=1&start=2`,
          { headers: who.cookie ? { cookie: who.cookie } : {} },
        );
      }
    }
    const health = await send('GET', '/health');
    expect(health.status).toBe(200);
    expect(failures).toEqual([]);
  });

  afterAll(() => {
    // Shown when it fails: how much was tried.
    if (failures.length) console.log(`fuzz: ${requests} requests, ${failures.length} failures`);
    if (failures.length)
      console.log(
        [...costs]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 15)
          .map(([k, v]) => `${Math.round(v)} ${k}`)
          .join('\n'),
      );
  });
});
