import { DataSource, Logger as OrmLogger, QueryRunner } from 'typeorm';
import { startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

/**
 * Booking creation's statement budget (SPEC performance, issue "Booking creation"): at most six
 * statements inside its transaction, counted on a real database through TypeORM's logger (every
 * statement TypeORM sends, with the connection that sent it). No timing here: speed is `npm run bench`.
 */
jest.setTimeout(60_000);

interface Seen {
  runner: QueryRunner | undefined;
  sql: string;
}

/** Records every statement TypeORM runs while `fn` runs, with the query runner (connection) that ran it. */
async function recording(ds: DataSource, fn: () => Promise<unknown>): Promise<Seen[]> {
  const original = ds.logger;
  const seen: Seen[] = [];
  const recorder: OrmLogger = {
    logQuery: (sql, _params, runner) => {
      seen.push({ runner, sql });
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  (ds as { logger: OrmLogger }).logger = recorder;
  try {
    await fn();
  } finally {
    (ds as { logger: OrmLogger }).logger = original;
  }
  return seen;
}

/** The statements between START TRANSACTION and COMMIT on the connection that inserted the booking. */
function bookingTransaction(seen: Seen[]): string[] {
  const insert = seen.find((s) => /^\s*INSERT INTO "?bookings"?/i.test(s.sql));
  if (!insert) throw new Error('no booking INSERT seen');
  const onRunner = seen.filter((s) => s.runner === insert.runner).map((s) => s.sql);
  const at = onRunner.indexOf(insert.sql);
  const begin = onRunner.lastIndexOf('START TRANSACTION', at);
  const end = onRunner.indexOf('COMMIT', at);
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(at);
  return onRunner.slice(begin + 1, end);
}

describe('booking creation: statement budget', () => {
  let t: TestApp;
  let coach: string;

  beforeAll(async () => {
    // Workers on: the mail worker renders the confirmation after commit (no MAIL_URL: kept).
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
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

  it('the worst case (daily limit, Idempotency-Key, new client with a preferred name) is six statements, no reads of settings and no rendering', async () => {
    await setLimit(5);
    const [slot] = await openSlots(t, 'budget', dayFromNow(3));
    const seen = await recording(t.dataSource, () =>
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
    const tx = bookingTransaction(seen);
    expect(tx.length).toBeLessThanOrEqual(6);
    // What the six are: the day lock and count, the client, the booking, both mails in one INSERT, the key.
    expect(tx.filter((s) => /pg_advisory_xact_lock/.test(s))).toHaveLength(1);
    expect(tx.filter((s) => /count\(\*\)/.test(s))).toHaveLength(1);
    expect(tx.filter((s) => /INSERT INTO users/.test(s))).toHaveLength(1);
    expect(tx.filter((s) => /INSERT INTO mail_outbox/.test(s))).toHaveLength(1);
    expect(tx.filter((s) => /INSERT INTO idempotency_keys/.test(s))).toHaveLength(1);
    expect(tx.filter((s) => /coach_settings|FROM "users" "User"/.test(s))).toEqual([]);
  });

  it('the common case (no limit, no key, a returning client) is three statements', async () => {
    await setLimit(null);
    const slots = await openSlots(t, 'budget', dayFromNow(4));
    await t
      .http()
      .post('/api/bookings')
      .send(bookingBody('budget', slots[0].start, 'again@example.com'))
      .expect(201);
    const seen = await recording(t.dataSource, () =>
      t
        .http()
        .post('/api/bookings')
        .send(bookingBody('budget', slots[1].start, 'again@example.com'))
        .expect(201),
    );
    const tx = bookingTransaction(seen);
    expect(tx).toHaveLength(3);
    expect(tx[0]).toMatch(/INSERT INTO users/);
    expect(tx[1]).toMatch(/INSERT INTO bookings/);
    expect(tx[2]).toMatch(/INSERT INTO mail_outbox/);
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
