import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, dropTestDatabase } from '../support/database';

/** The payments invariants the database holds, whatever the code does. */
describe('payments tables', () => {
  let ds: DataSource;
  let dbName: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    dbName = db.name;
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    if (dbName) await dropTestDatabase(dbName);
  });

  const insert = (over: Record<string, unknown> = {}) => {
    const row = {
      kind: 'booking',
      reference_id: '00000000-0000-4000-8000-000000000001',
      amount: 9500,
      currency: 'usd',
      description: 'x',
      success_path: '/',
      cancel_path: '/',
      expires_at: new Date(),
      ...over,
    };
    const cols = Object.keys(row);
    return ds.query(
      `INSERT INTO payments (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      Object.values(row),
    );
  };
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { driverError?: { code?: string } }) => e.driverError?.code ?? 'unknown',
    );

  it('keeps one row per Checkout Session and per PaymentIntent', async () => {
    expect(await code(insert({ checkout_session_id: 'cs_1', payment_intent_id: 'pi_1' }))).toBe(
      'ok',
    );
    expect(await code(insert({ checkout_session_id: 'cs_1' }))).toBe('23505');
    expect(await code(insert({ checkout_session_id: 'cs_2', payment_intent_id: 'pi_1' }))).toBe(
      '23505',
    );
    // Many rows may still be without a session (test mode, or before Stripe answered).
    expect(await code(insert())).toBe('ok');
    expect(await code(insert())).toBe('ok');
  });

  it('refuses unknown statuses and kinds, non-positive amounts, and refunds above the amount', async () => {
    expect(await code(insert({ status: 'paid' }))).toBe('23514');
    expect(await code(insert({ kind: 'gift' }))).toBe('23514');
    expect(await code(insert({ amount: 0 }))).toBe('23514');
    expect(await code(insert({ refunded_amount: 9501 }))).toBe('23514');
  });

  it('records a Stripe event id once', async () => {
    await ds.query(
      `INSERT INTO stripe_events (id, type) VALUES ('evt_1', 'checkout.session.completed')`,
    );
    const again = await ds.query(
      `INSERT INTO stripe_events (id, type) VALUES ('evt_1', 'checkout.session.completed') ON CONFLICT (id) DO NOTHING RETURNING id`,
    );
    expect(again).toEqual([]);
    expect(await code(ds.query(`INSERT INTO stripe_events (id, type) VALUES ('evt_1', 'x')`))).toBe(
      '23505',
    );
  });
});
