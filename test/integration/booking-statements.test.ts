import { Client } from 'pg';
import { startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/**
 * Booking creation's statement budget (SPEC performance, issue "Booking creation"): one statement
 * in the common case, at most six inside a transaction in the worst. Counted on a real database by
 * watching every statement any connection sends (pg's Client.query: TypeORM's queries and the
 * prepared statements sent straight to the pool alike). No timing here: speed is `npm run bench`.
 */
jest.setTimeout(60_000);

interface Seen {
  client: Client;
  sql: string;
}

/** Records every statement sent while `fn` runs, with the connection that sent it. */
async function recording(fn: () => Promise<unknown>): Promise<Seen[]> {
  const seen: Seen[] = [];
  const original = Client.prototype.query;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (
    this: Client,
    ...args: unknown[]
  ) {
    const [q] = args;
    const sql = typeof q === 'string' ? q : (q as { text?: string }).text;
    if (sql) seen.push({ client: this, sql });
    return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

const bookingInsert = /INSERT INTO bookings/;

/**
 * The statements on the connection that inserted the booking, from its START TRANSACTION to its
 * COMMIT, or just the insert when it ran outside any transaction.
 */
function bookingWrite(seen: Seen[]): { inTransaction: boolean; statements: string[] } {
  const insert = seen.find((s) => bookingInsert.test(s.sql));
  if (!insert) throw new Error('no booking INSERT seen');
  const onClient = seen.filter((s) => s.client === insert.client).map((s) => s.sql);
  const at = onClient.indexOf(insert.sql);
  const begin = onClient.lastIndexOf('START TRANSACTION', at);
  const commit = onClient.indexOf('COMMIT', at);
  const lastCommit = onClient.lastIndexOf('COMMIT', at);
  if (begin < 0 || lastCommit > begin) return { inTransaction: false, statements: [insert.sql] };
  expect(commit).toBeGreaterThan(at);
  return { inTransaction: true, statements: onClient.slice(begin + 1, commit) };
}

describe('booking creation: statement budget', () => {
  let t: TestApp;
  let coach: string;

  beforeAll(async () => {
    // No background workers: every statement seen is the request's own (the mail worker's
    // rendering would read the coach's settings meanwhile; it has its own test below).
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' }, workers: false });
    coach = await setUpCoach(t, 'budget', { durationMinutes: 30 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const setLimit = (maxSessionsPerDay: number | null) =>
    t
      .http()
      .put('/api/coach/settings')
      .set('authorization', `Bearer ${coach}`)
      .send({ displayName: 'Dana Budget', cancellationNoticeHours: 24, maxSessionsPerDay })
      .expect(200);

  it('the worst case (daily limit, Idempotency-Key, new client with a preferred name) is three statements in one transaction, no reads of settings and no rendering', async () => {
    await setLimit(5);
    const [slot] = await openSlots(t, 'budget', dayFromNow(3));
    const seen = await recording(() =>
      t
        .http()
        .post('/api/bookings')
        .set('Idempotency-Key', 'budget-worst')
        .send(
          bookingBody('budget', slot.start, 'budget-worst@example.com', {
            preferredName: 'Bee',
            pronouns: 'she/her',
          }),
        )
        .expect(201),
    );
    const { inTransaction, statements } = bookingWrite(seen);
    expect(inTransaction).toBe(true);
    // The day's lock and count, then one statement for the client, the booking, both mails and the key.
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/pg_advisory_xact_lock/);
    expect(statements[1]).toMatch(/count\(\*\)/);
    for (const table of ['users', 'bookings', 'mail_outbox', 'idempotency_keys'])
      expect(statements[2]).toMatch(new RegExp(`INSERT INTO ${table}`));
    expect(seen.filter((s) => /coach_settings|FROM "users" "User"/.test(s.sql))).toEqual([]);
    // What it wrote, all of it.
    const [row] = await t.dataSource.query(
      `SELECT b.client_id, u.preferred_name, (SELECT count(*)::int FROM mail_outbox m WHERE m.params->'booking'->>'id' = b.id::text) AS mails,
              (SELECT count(*)::int FROM idempotency_keys WHERE key = 'booking:budget-worst') AS keys
       FROM bookings b JOIN users u ON u.id = b.client_id WHERE u.email = 'budget-worst@example.com'`,
    );
    expect(row).toEqual({
      client_id: expect.any(String),
      preferred_name: 'Bee',
      mails: 2,
      keys: 1,
    });
  });

  it('the common case (no limit, no key, a returning client) is one statement and no transaction; with the offered check, two in all', async () => {
    await setLimit(null);
    const slots = await openSlots(t, 'budget', dayFromNow(4));
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('budget', slots[0].start, 'again@example.com'))
      .expect(201);
    const seen = await recording(() =>
      t
        .http()
        .post('/api/bookings')
        .send(bookingBody('budget', slots[1].start, 'again@example.com'))
        .expect(201),
    );
    const { inTransaction, statements } = bookingWrite(seen);
    expect(inTransaction).toBe(false);
    expect(statements).toHaveLength(1);
    for (const table of ['users', 'bookings', 'mail_outbox'])
      expect(statements[0]).toMatch(new RegExp(`INSERT INTO ${table}`));
    expect(statements[0]).not.toMatch(/idempotency_keys/);
    // Everything the request sent: the offered check (busy time, one statement) and the insert.
    expect(
      seen.map((s) =>
        bookingInsert.test(s.sql)
          ? 'insert'
          : /FROM scheduling_version/.test(s.sql)
            ? 'offered check'
            : s.sql,
      ),
    ).toEqual(['offered check', 'insert']);
  });
});

describe('booking creation: mails after commit', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Workers on: the mail worker renders the confirmation after commit (no MAIL_URL: kept).
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    const coach = await setUpCoach(t, 'budget', { durationMinutes: 30 });
    await t
      .http()
      .put('/api/coach/settings')
      .set('authorization', `Bearer ${coach}`)
      .send({ displayName: 'Dana Budget', cancellationNoticeHours: 24, maxSessionsPerDay: null })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the mail worker renders both mails after commit: right people, greeting, invite, manage link', async () => {
    const [slot] = await openSlots(t, 'budget', dayFromNow(5));
    const res = await t
      .http()
      .post('/api/bookings')
      .send(
        bookingBody('budget', slot.start, 'rendered@example.com', {
          preferredName: 'Robin',
          pronouns: 'they/them',
          notes: 'First time',
        }),
      )
      .expect(201);
    type Row = {
      kind: string;
      to_address: string;
      subject: string;
      text: string;
      attachments: { filename: string; content: string }[];
      params: unknown;
    };
    let rows: Row[] = [];
    for (let i = 0; i < 100; i++) {
      rows = await t.dataSource.query(
        `SELECT kind, to_address, subject, text, attachments, params FROM mail_outbox
         WHERE params IS NULL AND (to_address = 'rendered@example.com' OR text LIKE '%rendered@example.com%') ORDER BY kind`,
      );
      if (rows.length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows.map((r) => [r.kind, r.to_address])).toEqual([
      ['booking_coach_notice', 'coach@example.test'],
      ['booking_confirmed', 'rendered@example.com'],
    ]);
    const [coachMail, clientMail] = rows;
    expect(clientMail.subject).toMatch(/^Booked: Type budget on /);
    expect(clientMail.text).toContain('Hello Robin,');
    expect(clientMail.text).toContain('with Dana Budget');
    expect(clientMail.text).toContain(res.body.manageUrl);
    expect(clientMail.attachments[0].filename).toBe('invite.ics');
    expect(clientMail.attachments[0].content).toContain(`UID:booking-${res.body.id}@mend`);
    expect(coachMail.subject).toMatch(/^New booking: Robin \(they\/them\), /);
    expect(coachMail.text).toContain('Their note:\nFirst time');
    expect(coachMail.attachments[0].content).toContain('METHOD:REQUEST');
  });
});
