import { DataSource, Logger as OrmLogger, QueryRunner } from 'typeorm';
import { startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

jest.setTimeout(60_000);

interface Seen {
  runner: QueryRunner | undefined;
  sql: string;
}

/** Records every statement TypeORM runs, with the query runner (connection) that ran it. */
function recordStatements(ds: DataSource): { seen: Seen[]; restore(): void } {
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
  return { seen, restore: () => ((ds as { logger: OrmLogger }).logger = original) };
}

/** The statements between START TRANSACTION and COMMIT on the runner that ran the booking's INSERT. */
function bookingTransaction(seen: Seen[]): string[] {
  const insert = seen.find((s) => /INSERT INTO "?bookings"?/i.test(s.sql));
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

  beforeAll(async () => {
    t = await startTestApp({ workers: false });
    await setUpCoach(t, 'budget', { durationMinutes: 30 });
    await setUpCoach(t, 'budget-limited', { durationMinutes: 30 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a free booking with an Idempotency-Key', async () => {
    const [slot] = await openSlots(t, 'budget', dayFromNow(3));
    const rec = recordStatements(t.dataSource);
    try {
      await t
        .http()
        .post('/api/bookings')
        .set('Idempotency-Key', 'budget-1')
        .send(bookingBody('budget', slot.start, 'budget@example.com', { preferredName: 'Bee' }))
        .expect(201);
    } finally {
      rec.restore();
    }
    const statements = bookingTransaction(rec.seen);
    console.log(rec.seen.map((x) => x.sql.slice(0, 200)).join('\n---\n'));
    console.log(`statements in the booking transaction: ${statements.length}; all: ${rec.seen.length}`);
  });
});
