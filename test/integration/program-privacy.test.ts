import { SYSTEM_ACTOR } from '../../src/audit/audit-context';
import { ClientNotesService } from '../../src/clients/client-notes.service';
import { EntityManager } from 'typeorm';
import { Enrollment } from '../../src/program/enrollment.entity';
import { EnrollmentsService } from '../../src/program/enrollments.service';
import { ProgramDataRightsService } from '../../src/program/program-data-rights.service';
import { ProgressService } from '../../src/program/progress.service';
import { startTestApp, TestApp } from '../support/app';

const PHRASE = 'the lighthouse keeper forgave my brother';

describe('Reflections are encrypted at rest; enrollment payment handler', () => {
  let t: TestApp;
  let enrollments: EnrollmentsService;
  let progress: ProgressService;

  async function user(email: string): Promise<string> {
    const [row] = await t.dataSource.query(
      `INSERT INTO users (email, name, role) VALUES ($1, 'Member', 'client') RETURNING id`,
      [email],
    );
    return row.id as string;
  }
  const tx = <T>(fn: (m: EntityManager) => Promise<T>) => t.dataSource.transaction(fn);
  const status = async (id: string) =>
    (await t.dataSource.query(`SELECT status FROM enrollments WHERE id = $1`, [id]))[0]
      .status as string;
  const pending = async (userId: string) =>
    (
      await t.dataSource.query(
        `INSERT INTO enrollments (user_id, status, source) VALUES ($1, 'pending_payment', 'payment') RETURNING id`,
        [userId],
      )
    )[0].id as string;
  const welcomes = async (userId: string) =>
    Number(
      (
        await t.dataSource.query(
          `SELECT count(*) FROM mail_outbox o JOIN users u ON u.email = o.to_address WHERE u.id = $1 AND o.kind = 'program_welcome'`,
          [userId],
        )
      )[0].count,
    );

  beforeAll(async () => {
    t = await startTestApp();
    enrollments = t.app.get(EnrollmentsService);
    progress = t.app.get(ProgressService);
  });
  afterAll(async () => t?.close());

  it('keeps no plain text of a reflection in any column of the reflections table (nor its base64/hex)', async () => {
    const userId = await user('private@example.com');
    await enrollments.grant('private@example.com');
    await progress.saveReflection(userId, 1, {
      text: `Today I wrote that ${PHRASE}.`,
      sharedWithCoach: false,
    });
    await progress.saveReflection(userId, 1, {
      text: `Again: ${PHRASE}, and it was true.`,
      sharedWithCoach: true,
    });

    const forms = [
      PHRASE,
      Buffer.from(PHRASE).toString('base64'),
      Buffer.from(PHRASE).toString('hex'),
      'lighthouse',
    ];
    const columns: { column_name: string }[] = await t.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'reflections'`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(
      expect.arrayContaining(['ciphertext', 'nonce', 'key_id']),
    );
    for (const { column_name } of columns) {
      const values: { v: string | null }[] = await t.dataSource.query(
        `SELECT encode(convert_to("${column_name}"::text, 'UTF8'), 'escape') AS v FROM reflections`,
      );
      for (const { v } of values) for (const f of forms) expect(String(v)).not.toContain(f);
    }
    const dump: { j: string }[] = await t.dataSource.query(
      `SELECT row_to_json(r)::text AS j FROM reflections r`,
    );
    expect(dump.length).toBe(1);
    for (const { j } of dump)
      for (const f of forms) expect(j.toLowerCase()).not.toContain(f.toLowerCase());
    const [types] = await t.dataSource.query(
      `SELECT (SELECT data_type FROM information_schema.columns WHERE table_name = 'reflections' AND column_name = 'ciphertext') AS c`,
    );
    expect(types.c).toBe('bytea');
    // Nor in the mail outbox (the step-opened and welcome mails never quote reflections).
    const mails: { text: string }[] = await t.dataSource.query(`SELECT text FROM mail_outbox`);
    for (const m of mails) expect(m.text).not.toContain('lighthouse');
    // The owner still reads it.
    expect((await progress.reflectionsOf(userId))[0].text).toBe(
      `Again: ${PHRASE}, and it was true.`,
    );
  });

  it('encrypts with a fresh nonce per write and binds the ciphertext to its member and step', async () => {
    const a = await user('nonce-a@example.com');
    const b = await user('nonce-b@example.com');
    await enrollments.grant('nonce-a@example.com');
    await enrollments.grant('nonce-b@example.com');
    await progress.saveReflection(a, 1, { text: 'same words' });
    const [first] = await t.dataSource.query(
      `SELECT nonce, ciphertext FROM reflections WHERE user_id = $1`,
      [a],
    );
    await progress.saveReflection(a, 1, { text: 'same words' });
    const [second] = await t.dataSource.query(
      `SELECT nonce, ciphertext, key_id FROM reflections WHERE user_id = $1`,
      [a],
    );
    expect(Buffer.compare(first.nonce, second.nonce)).not.toBe(0);
    expect(Buffer.compare(first.ciphertext, second.ciphertext)).not.toBe(0);
    expect(second.key_id).toMatch(/^[0-9a-f]{8}$/);
    // Copying A's ciphertext onto B's row does not reveal it to B: decryption fails instead.
    await progress.saveReflection(b, 1, { text: 'b words' });
    await t.dataSource.query(
      `UPDATE reflections SET nonce = $1, ciphertext = $2 WHERE user_id = $3`,
      [second.nonce, second.ciphertext, b],
    );
    await expect(progress.reflectionsOf(b)).rejects.toThrow(/failed authentication/);
  });

  it('activates a paid enrollment once (welcome mail once), however often onPaid runs', async () => {
    const userId = await user('paid@example.com');
    const id = await pending(userId);
    expect(await tx((m) => enrollments.onPaid(m, id, 'pay-1'))).toBe('fulfilled');
    expect(await tx((m) => enrollments.onPaid(m, id, 'pay-1'))).toBe('fulfilled');
    expect(await status(id)).toBe('active');
    expect(await welcomes(userId)).toBe(1);
    const [row] = await t.dataSource.query(
      `SELECT payment_id, activated_at FROM enrollments WHERE id = $1`,
      [id],
    );
    expect(row.payment_id).toBe('pay-1');
    expect(row.activated_at).toBeInstanceOf(Date);
    expect((await progress.overview(userId)).steps[0].status).toBe('available');
  });

  it('asks for a refund when a second checkout is paid by someone already active', async () => {
    const userId = await user('twice@example.com');
    const first = await pending(userId);
    await tx((m) => enrollments.onPaid(m, first, 'pay-a'));
    const [second] = await t.dataSource.query(
      `INSERT INTO enrollments (user_id, status, source) VALUES ($1, 'expired', 'payment') RETURNING id`,
      [userId],
    );
    expect(await tx((m) => enrollments.onPaid(m, second.id, 'pay-b'))).toBe('refund');
    expect(await status(first)).toBe('active');
    expect(await welcomes(userId)).toBe(1);
    const [told] = await t.dataSource.query(
      `SELECT subject FROM mail_outbox WHERE to_address = 'twice@example.com' AND kind = 'program_duplicate_refund'`,
    );
    expect(told.subject).toMatch(/second payment .* is being refunded/);
  });

  it('honours a paid checkout that a newer one had replaced', async () => {
    const userId = await user('replaced@example.com');
    const [old] = await t.dataSource.query(
      `INSERT INTO enrollments (user_id, status, source) VALUES ($1, 'expired', 'payment') RETURNING id`,
      [userId],
    );
    const newer = await pending(userId);
    expect(await tx((m) => enrollments.onPaid(m, old.id, 'pay-old'))).toBe('fulfilled');
    expect(await status(old.id)).toBe('active');
    expect(await status(newer)).toBe('expired');
  });

  it('releases a failed checkout so the member can try again, and refunds end access', async () => {
    const userId = await user('failed@example.com');
    const id = await pending(userId);
    await tx((m) => enrollments.onPaymentFailed(m, id, 'pay-f'));
    expect(await status(id)).toBe('expired');
    const retry = await pending(userId);
    await tx((m) => enrollments.onPaid(m, retry, 'pay-r'));
    await tx((m) => enrollments.onPaymentFailed(m, retry, 'pay-r'));
    expect(await status(retry)).toBe('active');
    await tx((m) => enrollments.onRefunded(m, retry, 'pay-r'));
    await tx((m) => enrollments.onRefunded(m, retry, 'pay-r'));
    expect(await status(retry)).toBe('refunded');
    await expect(progress.stepDetail(userId, 1)).rejects.toMatchObject({ code: 'NOT_ENROLLED' });
    // A refunded enrollment is not revived by a late duplicate of the paid event.
    expect(await tx((m) => enrollments.onPaid(m, retry, 'pay-r'))).toBe('fulfilled');
    expect(await status(retry)).toBe('refunded');
  });

  it('mails a step that opened after a drip wait once, even when two instances sweep at the same time', async () => {
    const userId = await user('drip@example.com');
    const grant = await enrollments.grant('drip@example.com');
    await progress.complete(userId, 1);
    // Step 1 opened 8 days ago and was completed 6 days ago (dripDays is 7): step 2 is due.
    await t.dataSource.query(
      `UPDATE enrollment_steps SET opened_at = now() - interval '8 days', completed_at = now() - interval '6 days' WHERE enrollment_id = $1 AND step = 1`,
      [grant.id],
    );
    const sent = await Promise.all([
      progress.notifyOpenedSteps(),
      progress.notifyOpenedSteps(),
      progress.notifyOpenedSteps(),
    ]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    const mails = await t.dataSource.query(
      `SELECT subject FROM mail_outbox WHERE to_address = 'drip@example.com' AND kind = 'program_step_opened'`,
    );
    expect(mails).toEqual([{ subject: 'Step 2 of The Humble Pie 12 Steps is open' }]);
    const [step2] = await t.dataSource.query(
      `SELECT opened_via, opened_mail_at FROM enrollment_steps WHERE enrollment_id = $1 AND step = 2`,
      [grant.id],
    );
    expect(step2.opened_via).toBe('drip');
    expect(step2.opened_mail_at).toBeInstanceOf(Date);
  });

  it('exports a member’s enrollments, progress and decrypted reflections, and erases them', async () => {
    const rights = t.app.get(ProgramDataRightsService);
    const userId = await user('rights@example.com');
    await enrollments.grant('rights@example.com');
    await progress.saveReflection(userId, 1, {
      text: 'Exported for me alone.',
      sharedWithCoach: false,
    });
    await progress.complete(userId, 1);
    const data = await rights.exportFor({ id: userId });
    expect(data.enrollments).toEqual([
      expect.objectContaining({
        status: 'active',
        source: 'grant',
        shareProgress: false,
        steps: expect.arrayContaining([
          expect.objectContaining({ number: 1, completedAt: expect.any(String) }),
        ]),
      }),
    ]);
    expect(data.reflections).toEqual([
      expect.objectContaining({ step: 1, text: 'Exported for me alone.', sharedWithCoach: false }),
    ]);
    await tx((m) => rights.eraseFor(m, { id: userId }));
    expect(await rights.exportFor({ id: userId })).toEqual({ enrollments: [], reflections: [] });
    const left = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM reflections WHERE user_id = $1)::int AS r, (SELECT count(*) FROM enrollments WHERE user_id = $1)::int AS e`,
      [userId],
    );
    expect(left[0]).toEqual({ r: 0, e: 0 });
  });

  it('holds at most one active and one pending enrollment per member in the database', async () => {
    const userId = await user('unique@example.com');
    await t.dataSource.query(
      `INSERT INTO enrollments (user_id, status, source) VALUES ($1, 'active', 'grant')`,
      [userId],
    );
    await expect(
      t.dataSource.query(
        `INSERT INTO enrollments (user_id, status, source) VALUES ($1, 'active', 'grant')`,
        [userId],
      ),
    ).rejects.toThrow(/UQ_enrollments_active_user/);
    await pending(userId);
    await expect(pending(userId)).rejects.toThrow(/UQ_enrollments_pending_user/);
    await expect(
      t.dataSource.query(
        `INSERT INTO enrollments (user_id, status, source) VALUES ($1, 'lost', 'grant')`,
        [userId],
      ),
    ).rejects.toThrow(/CHK_enrollments_status/);
    expect(await t.dataSource.getRepository(Enrollment).count({ where: { userId } })).toBe(2);
  });
});

describe('Rotating ENCRYPTION_KEY', () => {
  it('reads old reflections and client notes with the previous key, re-encrypts them, then runs on the new key alone', async () => {
    const { randomBytes } = await import('node:crypto');
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const a = await startTestApp({ env: { ENCRYPTION_KEY: oldKey } });
    const databaseUrl = a.databaseUrl;
    const [u] = await a.dataSource.query(
      `INSERT INTO users (email, name, role) VALUES ('rotate@example.com', 'R', 'client') RETURNING id`,
    );
    await a.app.get(EnrollmentsService).grant('rotate@example.com');
    await a.app
      .get(ProgressService)
      .saveReflection(u.id, 1, { text: 'Written under the old key.' });
    const [coach] = await a.dataSource.query(`SELECT id FROM users WHERE role = 'coach'`);
    await a.app.get(ClientNotesService).add(u.id, coach.id, 'A note under the old key.');
    const [before] = await a.dataSource.query(`SELECT key_id FROM reflections`);

    // The new key alone is refused while data is under the old one…
    await expect(startTestApp({ databaseUrl, env: { ENCRYPTION_KEY: newKey } })).rejects.toThrow(
      /ENCRYPTION_KEY is not the key/,
    );
    // …and admitted with the old key as ENCRYPTION_KEY_PREVIOUS.
    const b = await startTestApp({
      databaseUrl,
      env: { ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey },
    });
    const progressB = b.app.get(ProgressService);
    expect((await progressB.reflectionsOf(u.id))[0].text).toBe('Written under the old key.');
    // Dropping the old key before re-encryption has finished is refused: it would strand those reflections.
    await expect(startTestApp({ databaseUrl, env: { ENCRYPTION_KEY: newKey } })).rejects.toThrow(
      /reflections are encrypted under key .* ENCRYPTION_KEY_PREVIOUS/,
    );
    expect(await progressB.reencryptReflections()).toBe(1);
    expect(await progressB.reencryptReflections()).toBe(0);
    // Client notes were still under the old key: dropping it now is refused for them too.
    await expect(startTestApp({ databaseUrl, env: { ENCRYPTION_KEY: newKey } })).rejects.toThrow(
      /client notes are encrypted under key/,
    );
    expect((await b.app.get(ClientNotesService).list(u.id, SYSTEM_ACTOR))[0].text).toBe(
      'A note under the old key.',
    );
    expect(await b.app.get(ClientNotesService).reencrypt()).toBe(1);
    expect(await b.app.get(ClientNotesService).reencrypt()).toBe(0);
    const [after] = await b.dataSource.query(`SELECT key_id FROM reflections`);
    expect(after.key_id).not.toBe(before.key_id);
    // Each rotation that moved rows is in the audit trail (by Mend itself, naming the table and new key).
    const rotations: { subject_id: string; actor_role: string }[] = await b.dataSource.query(
      `SELECT subject_id, actor_role FROM audit_events WHERE action = 'key.rotated' ORDER BY id`,
    );
    expect(rotations).toEqual([
      { subject_id: `reflections:${after.key_id}`, actor_role: 'system' },
      { subject_id: `client_notes:${after.key_id}`, actor_role: 'system' },
    ]);
    await b.app.close();

    const c = await startTestApp({ databaseUrl, env: { ENCRYPTION_KEY: newKey } });
    expect((await c.app.get(ProgressService).reflectionsOf(u.id))[0].text).toBe(
      'Written under the old key.',
    );
    expect((await c.app.get(ClientNotesService).list(u.id, SYSTEM_ACTOR))[0].text).toBe(
      'A note under the old key.',
    );
    await c.app.close();
    await expect(
      startTestApp({
        databaseUrl,
        env: {
          ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          ENCRYPTION_KEY_PREVIOUS: randomBytes(32).toString('base64'),
        },
      }),
    ).rejects.toThrow(/ENCRYPTION_KEY/);
    await a.close();
  });
});
