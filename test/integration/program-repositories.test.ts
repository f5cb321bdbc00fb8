import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { EnrollmentsRepository } from '../../src/program/enrollments.repository';
import { ReflectionsRepository } from '../../src/program/reflections.repository';
import { createTestDatabase, dropTestDatabase } from '../support/database';

/**
 * The program's repositories against real PostgreSQL, where their SQL does more than one thing:
 * the one-query read behind every view of the steps page, and the key rotation's store.
 */
describe('program repositories', () => {
  let db: { url: string; name: string };
  let ds: DataSource;
  let enrollments: EnrollmentsRepository;
  let reflections: ReflectionsRepository;

  const user = async (email: string): Promise<string> => {
    const [row]: { id: string }[] = await ds.query(
      `INSERT INTO users (email, name, role) VALUES ($1, 'Member', 'client') RETURNING id`,
      [email],
    );
    return row.id;
  };
  const enrollment = async (
    userId: string,
    status: string,
    createdAgo: string,
  ): Promise<string> => {
    const [row]: { id: string }[] = await ds.query(
      `INSERT INTO enrollments (user_id, status, source, activated_at, created_at)
       VALUES ($1, $2, 'grant', now() - $3::interval, now() - $3::interval) RETURNING id`,
      [userId, status, createdAgo],
    );
    return row.id;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
    enrollments = new EnrollmentsRepository(ds);
    reflections = new ReflectionsRepository(ds);
    await ds.query(
      `INSERT INTO program (id, title, description, price, currency, drip_days) VALUES (1, 'P', '', 0, 'usd', 3)
       ON CONFLICT (id) DO UPDATE SET drip_days = 3`,
    );
  });

  afterAll(async () => {
    await ds.destroy();
    await dropTestDatabase(db.name);
  });

  it('reads the active enrollment with only its own steps, before any older or newer ended one', async () => {
    const u = await user('active@example.com');
    const other = await user('other@example.com');
    const oldRefunded = await enrollment(u, 'refunded', '30 days');
    const active = await enrollment(u, 'active', '10 days');
    await enrollment(u, 'expired', '1 day');
    const othersActive = await enrollment(other, 'active', '5 days');
    await ds.query(
      `INSERT INTO enrollment_steps (enrollment_id, step, opened_at, opened_via, completed_at) VALUES
         ($1, 2, now() - interval '2 days', 'completion', NULL),
         ($1, 1, now() - interval '10 days', 'activation', now() - interval '2 days'),
         ($2, 1, now() - interval '30 days', 'activation', now()),
         ($3, 1, now() - interval '5 days', 'activation', NULL)`,
      [active, oldRefunded, othersActive],
    );

    const found = await enrollments.findProgressForMember(u, false);
    expect(found?.enrollment.id).toBe(active);
    expect(found?.enrollment.status).toBe('active');
    expect(found?.enrollment.userId).toBe(u);
    expect(found?.dripDays).toBe(3);
    expect(found?.steps.map((s) => [s.step, s.openedVia, s.completedAt !== null])).toEqual([
      [1, 'activation', true],
      [2, 'completion', false],
    ]);
    expect((await enrollments.findProgressForMember(u, true))?.enrollment.id).toBe(active);
  });

  it('falls back to the latest refunded enrollment (never an expired or pending one) unless only active counts', async () => {
    const u = await user('refunded@example.com');
    await enrollment(u, 'refunded', '30 days');
    const latest = await enrollment(u, 'refunded', '20 days');
    await enrollment(u, 'expired', '1 day');
    await enrollment(u, 'pending_payment', '1 hour');

    const found = await enrollments.findProgressForMember(u, false);
    expect(found?.enrollment.id).toBe(latest);
    expect(found?.steps).toEqual([]);
    expect(await enrollments.findProgressForMember(u, true)).toBeNull();
    expect(
      await enrollments.findProgressForMember(await user('never@example.com'), false),
    ).toBeNull();
  });

  it("lists one member's entries only, newest activation first, without abandoned checkouts", async () => {
    const u = await user('listed@example.com');
    const other = await user('not-listed@example.com');
    const older = await enrollment(u, 'refunded', '40 days');
    const current = await enrollment(u, 'active', '4 days');
    await enrollment(u, 'expired', '1 day');
    await enrollment(other, 'active', '2 days');
    await ds.query(
      `INSERT INTO enrollment_steps (enrollment_id, step, opened_at, opened_via, completed_at)
       VALUES ($1, 1, now(), 'activation', now())`,
      [current],
    );
    const rows = await enrollments.summaries({ userId: u });
    expect(rows.map((r) => [r.id, r.userId, r.completed])).toEqual([
      [current, u, 1],
      [older, u, 0],
    ]);
    expect((await enrollments.summaries({ ids: [current] })).map((r) => r.id)).toEqual([current]);
  });

  it('re-encryption locks only rows under another key and leaves when the member wrote unchanged', async () => {
    const u = await user('writer@example.com');
    await ds.query(
      `INSERT INTO reflections (user_id, step, key_id, nonce, ciphertext, updated_at) VALUES
         ($1, 1, 'oldkey00', '\\x00', '\\x01', '2026-01-02T03:04:05Z'),
         ($1, 2, 'newkey00', '\\x00', '\\x02', '2026-01-02T03:04:05Z')`,
      [u],
    );
    await ds.transaction(async (m) => {
      const stale = await reflections.lockStale(m, 'newkey00', 10);
      expect(stale.map((r) => [r.userId, r.step, r.keyId])).toEqual([[u, 1, 'oldkey00']]);
      await reflections.saveSealed(m, stale[0], {
        keyId: 'newkey00',
        nonce: Buffer.from([9]),
        ciphertext: Buffer.from([8]),
      });
    });
    const rows: { step: number; key_id: string; ciphertext: Buffer; updated_at: Date }[] =
      await ds.query(
        `SELECT step, key_id, ciphertext, updated_at FROM reflections WHERE user_id = $1 ORDER BY step`,
        [u],
      );
    expect(rows.map((r) => [r.step, r.key_id, r.ciphertext.toString('hex')])).toEqual([
      [1, 'newkey00', '08'],
      [2, 'newkey00', '02'],
    ]);
    expect(rows.every((r) => r.updated_at.toISOString() === '2026-01-02T03:04:05.000Z')).toBe(true);
    await ds.transaction(async (m) =>
      expect(await reflections.lockStale(m, 'newkey00', 10)).toEqual([]),
    );
  });
});
