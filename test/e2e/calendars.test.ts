import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Temporal } from 'temporal-polyfill';
import { CalendarsService } from '../../src/calendars/calendars.service';
import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';
import { feed, mondayAfter, weekDates } from '../support/calendar-feeds';
import { bookingBody, setUpCoach } from '../support/scheduling';

jest.setTimeout(120_000);

const NY = 'America/New_York';
const SECRET = 'private-5f2c9e0d1b7a4c3e8f6a2b1d0c9e8f7a';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local feed server: each path answers with its handler; every request is recorded. */
async function feedServer(): Promise<{
  server: Server;
  base: string;
  routes: Map<string, Handler>;
  seen: IncomingMessage[];
}> {
  const routes = new Map<string, Handler>();
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const h = routes.get((req.url ?? '').split('?')[0]);
    if (h) h(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such calendar');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routes,
    seen,
  };
}

/** Serves an .ics with an ETag, answering 304 to a matching If-None-Match. */
function ics(body: () => string, etag = '"v1"'): Handler {
  return (req, res) => {
    if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', etag }).end(body());
  };
}

describe('External calendars', () => {
  let t: TestApp;
  let coach: string;
  let feeds: Awaited<ReturnType<typeof feedServer>>;
  const auth = () => ({ authorization: `Bearer ${coach}` });
  const monday = mondayAfter(8);
  const D = weekDates(monday);
  let currentGoogle = feed('google-weekly', monday);

  /** Offered start times on a date, as NY wall times "HH:MM". */
  async function times(date: string): Promise<string[]> {
    const res = await t
      .http()
      .get(`/api/session-types/therapy-aware/slots?from=${date}&to=${date}&timeZone=${NY}`)
      .expect(200);
    return (res.body.slots as { start: string }[]).map((s) =>
      Temporal.Instant.from(s.start).toZonedDateTimeISO(NY).toPlainTime().toString().slice(0, 5),
    );
  }
  const ALL = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];
  const nyStart = (date: string, time: string) =>
    Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(NY).toInstant().toString();

  beforeAll(async () => {
    feeds = await feedServer();
    feeds.routes.set(
      `/calendar/ical/coach%40gmail.com/${SECRET}/basic.ics`,
      ics(() => currentGoogle),
    );
    feeds.routes.set(
      '/owa/calendar/reachcalendar.ics',
      ics(() => feed('outlook', monday), '"o1"'),
    );
    // Short enough that the feed that never answers is quick to give up on, long enough that a
    // loaded CI machine still moves 5 MB (the size-limit case) well inside it.
    t = await startTestApp({
      env: { RATE_LIMIT_PER_MINUTE: '100000', CALENDAR_FETCH_TIMEOUT_MS: '4000' },
      workers: false,
    });
    coach = await setUpCoach(t, 'therapy-aware', {
      durationMinutes: 60,
      bufferAfterMinutes: 30,
      slotIntervalMinutes: 60,
    });
    await t
      .http()
      .put('/api/availability')
      .set(auth())
      .send({
        timeZone: NY,
        weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
        overrides: [],
      })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
    feeds?.server.close();
  });

  it('subscribes to a Google feed, shows only the host, and the busy times leave exactly the right slots', async () => {
    const url = `${feeds.base}/calendar/ical/coach%40gmail.com/${SECRET}/basic.ics`;
    const res = await t
      .http()
      .post('/api/calendars')
      .set(auth())
      .send({ name: 'Personal', url })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'Personal',
      host: new URL(feeds.base).host,
      lastSyncedAt: expect.any(String),
      lastError: null,
      eventCount: 2,
    });
    const list = await t.http().get('/api/calendars').set(auth()).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    const stored: { ciphertext: Buffer }[] = await t.dataSource.query(
      `SELECT ciphertext FROM external_calendars`,
    );
    expect(stored[0].ciphertext.toString('latin1')).not.toContain(SECRET);

    // Weekly Monday 10:00–11:00 NY; a 30-minute buffer after each session.
    expect(await times(D.MON1)).toEqual(['11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    expect(await times(D.MON2)).toEqual(ALL); // EXDATE
    expect(await times(D.MON3)).toEqual(ALL); // moved to Tuesday of week 3…
    expect(await times(D.TUE3)).toEqual(['09:00', '10:00', '11:00', '12:00', '15:00', '16:00']); // …14:00–15:00
    expect(await times(D.MON4)).toEqual(ALL); // that instance was cancelled
    expect(await times(D.MON5)).toEqual(['11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    expect(await times(D.WED1)).toEqual(ALL); // a transparent all-day event and a transparent lunch
    expect(await times(D.THU1)).toEqual([]); // an all-day busy event
  });

  it('reads an Outlook export with Windows zone names, a cancelled event, floating times and an RDATE', async () => {
    const before = await times(D.TUE1);
    expect(before).toEqual(ALL);
    await t
      .http()
      .post('/api/calendars')
      .set(auth())
      .send({ name: 'Work', url: `${feeds.base}/owa/calendar/reachcalendar.ics` })
      .expect(201);
    // Dentist 09:00–09:30 Eastern Standard Time; a Berlin call 17:00–18:00 W. Europe (11:00–12:00 NY);
    // the cancelled 14:00 board meeting blocks nothing.
    expect(await times(D.TUE1)).toEqual(['12:00', '13:00', '14:00', '15:00', '16:00']);
    // Floating 09:00–10:00 read in the coach's zone, on Friday and (RDATE) Saturday.
    expect(await times(D.FRI1)).toEqual(ALL.slice(1));
    expect(await times(D.SAT1)).toEqual(ALL.slice(1));
  });

  it('refuses a booking inside external busy time with 422 SLOT_UNAVAILABLE', async () => {
    const res = await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('therapy-aware', nyStart(D.MON1, '10:00')))
      .expect(422);
    expect(res.body.code).toBe('SLOT_UNAVAILABLE');
    // The buffer counts too: 09:00 + 60 min + 30 min runs into the 10:00 event.
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('therapy-aware', nyStart(D.MON1, '09:00')))
      .expect(422);
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('therapy-aware', nyStart(D.MON1, '11:00')))
      .expect(201);
  });

  it('syncs with a conditional GET, and a feed that starts failing keeps its last good copy', async () => {
    const [google] = (await t.http().get('/api/calendars').set(auth()).expect(200)).body as {
      id: string;
      lastSyncedAt: string;
    }[];
    const n = feeds.seen.length;
    const again = await t.http().post(`/api/calendars/${google.id}/sync`).set(auth()).expect(200);
    expect(feeds.seen[n].headers['if-none-match']).toBe('"v1"');
    expect(again.body).toEqual({
      lastSyncedAt: expect.any(String),
      eventCount: 2,
      lastError: null,
    });

    feeds.routes.set(`/calendar/ical/coach%40gmail.com/${SECRET}/basic.ics`, (_req, res) =>
      res.writeHead(503).end('down'),
    );
    const failed = await t.http().post(`/api/calendars/${google.id}/sync`).set(auth()).expect(200);
    expect(failed.body.lastError).toMatch(
      /server answered with an error \(HTTP 503\).*last good copy is kept/,
    );
    expect(failed.body.eventCount).toBe(2);
    expect(await times(D.THU1)).toEqual([]);
    expect(await times(D.MON5)).toEqual(['11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);

    // Back, and changed: the new copy replaces the old one and the error clears.
    currentGoogle = currentGoogle.replace(
      /BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:\d+\r\nDTEND;VALUE=DATE:\d+\r\nDTSTAMP:\d+T\d+Z\r\nUID:allday-busy[\s\S]*?END:VEVENT\r\n/,
      '',
    );
    feeds.routes.set(
      `/calendar/ical/coach%40gmail.com/${SECRET}/basic.ics`,
      ics(() => currentGoogle, '"v2"'),
    );
    const back = await t.http().post(`/api/calendars/${google.id}/sync`).set(auth()).expect(200);
    expect(back.body).toEqual({ lastSyncedAt: expect.any(String), eventCount: 1, lastError: null });
    expect(await times(D.THU1)).toEqual(ALL);
  });

  it('bad feed addresses: a clear error on the calendar, and nothing else changes', async () => {
    const slotsBefore = await Promise.all([D.MON1, D.TUE1, D.FRI1].map(times));
    // Not http(s): refused outright, naming the field.
    for (const url of [
      'ftp://example.com/cal.ics',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      const res = await t
        .http()
        .post('/api/calendars')
        .set(auth())
        .send({ name: 'Bad', url })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(/url/);
    }
    feeds.routes.set('/html', (_q, r) =>
      r.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>'),
    );
    feeds.routes.set('/slow', () => undefined); // never answers
    feeds.routes.set('/huge', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const chunk = Buffer.alloc(1024 * 1024, 'X');
      let sent = 0;
      const pump = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent >= 50) res.end();
        else
          res.once('drain', () => {
            sent++;
            pump();
          });
      };
      res.on('error', () => undefined);
      pump();
    });
    feeds.routes.set('/not-ics', (_q, r) =>
      r.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
    );
    const cases: [string, RegExp][] = [
      ['/html', /web page, not a calendar feed/],
      ['/slow', /did not answer within/],
      ['/gone.ics', /not found at this address \(HTTP 404\)/],
      ['/huge', /larger than 5 MB/],
      ['/not-ics', /does not give an iCalendar/],
    ];
    for (const [path, message] of cases) {
      const res = await t
        .http()
        .post('/api/calendars')
        .set(auth())
        .send({ name: path, url: `${feeds.base}${path}` })
        .expect(201);
      expect(res.body).toMatchObject({ lastSyncedAt: null, eventCount: 0 });
      expect(res.body.lastError).toMatch(message);
      expect(res.body.lastError).toMatch(/Nothing from it blocks time yet\.$/);
    }
    expect(await Promise.all([D.MON1, D.TUE1, D.FRI1].map(times))).toEqual(slotsBefore);
  });

  it('the sync job syncs every calendar, and one broken feed does not stop the others', async () => {
    const synced = await t.app.get(CalendarsService).syncAll();
    const list = (await t.http().get('/api/calendars').set(auth()).expect(200)).body as {
      name: string;
      lastError: string | null;
    }[];
    expect(synced).toBe(list.length);
    expect(list.find((c) => c.name === 'Personal')!.lastError).toBeNull();
    expect(list.find((c) => c.name === '/html')!.lastError).toMatch(/web page/);
  });

  it('is the coach’s alone: others get 401/403, another id 404, and removing a calendar frees its time', async () => {
    await t.http().get('/api/calendars').expect(401);
    const member = await signup(t, 'member-cal@example.com');
    await t
      .http()
      .get('/api/calendars')
      .set({ authorization: `Bearer ${member}` })
      .expect(403);
    await t
      .http()
      .post('/api/calendars')
      .set({ authorization: `Bearer ${member}` })
      .send({ name: 'x', url: `${feeds.base}/x.ics` })
      .expect(403);
    await t
      .http()
      .delete('/api/calendars/00000000-0000-4000-8000-000000000000')
      .set(auth())
      .expect(404);
    await t.http().post('/api/calendars/not-a-uuid/sync').set(auth()).expect(404);
    const list = (await t.http().get('/api/calendars').set(auth()).expect(200)).body as {
      id: string;
      name: string;
    }[];
    await t
      .http()
      .delete(`/api/calendars/${list.find((c) => c.name === 'Work')!.id}`)
      .set(auth())
      .expect(204);
    expect(await times(D.TUE1)).toEqual(ALL);
  });

  it('shows the coach each calendar with its state on /coach/calendars', async () => {
    const coachSession = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    const page = await t
      .http()
      .get('/coach/calendars')
      .set('cookie', `mend_session=${coachSession}`)
      .expect(200);
    expect(page.text).toContain('Personal');
    expect(page.text).toContain('web page, not a calendar feed');
    expect(page.text).not.toContain(SECRET);
  });
});

describe('External calendars on private addresses (CALENDAR_ALLOW_PRIVATE_HOSTS=false)', () => {
  let t: TestApp;
  let feeds: Awaited<ReturnType<typeof feedServer>>;

  beforeAll(async () => {
    feeds = await feedServer();
    feeds.routes.set(
      '/cal.ics',
      ics(() => feed('google-weekly', mondayAfter(8))),
    );
    t = await startTestApp({ env: { CALENDAR_ALLOW_PRIVATE_HOSTS: 'false' }, workers: false });
  });
  afterAll(async () => {
    await t?.close();
    feeds?.server.close();
  });

  it('refuses loopback addresses and names that resolve to them, without sending a request', async () => {
    const coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    const port = new URL(feeds.base).port;
    for (const url of [
      `http://127.0.0.1:${port}/cal.ics`,
      `http://localhost:${port}/cal.ics`,
      `http://[::ffff:127.0.0.1]:${port}/cal.ics`,
      `http://169.254.169.254/latest/meta-data`,
    ]) {
      const res = await t
        .http()
        .post('/api/calendars')
        .set({ authorization: `Bearer ${coach}` })
        .send({ name: 'Inside', url })
        .expect(201);
      expect(res.body.lastError).toMatch(/inside a private network/);
      expect(res.body.eventCount).toBe(0);
    }
    expect(feeds.seen).toHaveLength(0);
  });
});
