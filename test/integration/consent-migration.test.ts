import { DataSource } from 'typeorm';
import { ConsentOptIn1796146564767 } from '../../migrations/1796146564767-ConsentOptIn';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { ProgressService } from '../../src/program/progress.service';
import { startTestApp } from '../support/app';
import { createTestDatabase, dropTestDatabase } from '../support/database';

/**
 * The ConsentOptIn migration on data written before it: sharing that was on only by the old
 * default is turned off and its member told once; a deliberate "off" is kept as a choice.
 */
describe('ConsentOptIn migration', () => {
  it('repairs enrollments that never chose, keeps those that did, and tells each member once', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
    const migration = new ConsentOptIn1796146564767();
    const runner = ds.createQueryRunner();
    try {
      // Back to the schema before the migration, with enrollments as they were then.
      await migration.down(runner);
      const [{ default: before }] = await ds.query(
        `SELECT column_default AS default FROM information_schema.columns WHERE table_name = 'enrollments' AND column_name = 'share_progress'`,
      );
      expect(before).toBe('true');
      const users: { id: string; email: string }[] = await ds.query(
        `INSERT INTO users (email, name, role, password_hash) VALUES
           ('default-on@example.com', 'Dee', 'client', 'x'), ('chose-off@example.com', 'Cho', 'client', 'x'),
           ('abandoned@example.com', 'Abe', 'client', 'x'), ('refunded@example.com', 'Ref', 'client', 'x')
         RETURNING id, email`,
      );
      const id = (email: string) => users.find((u) => u.email === email)!.id;
      await ds.query(
        `INSERT INTO enrollments (user_id, status, source, share_progress, activated_at, updated_at) VALUES
           ($1, 'active', 'grant', true, now(), now() - interval '3 days'),
           ($2, 'active', 'grant', false, now(), now() - interval '2 days'),
           ($3, 'expired', 'payment', true, NULL, now()),
           ($4, 'refunded', 'payment', true, now(), now())`,
        [
          id('default-on@example.com'),
          id('chose-off@example.com'),
          id('abandoned@example.com'),
          id('refunded@example.com'),
        ],
      );

      await migration.up(runner);
      const rows: {
        email: string;
        share_progress: boolean;
        chosen: boolean;
        reset: boolean;
        notice_sent: boolean;
        chosen_is_updated: boolean;
      }[] = await ds.query(
        `SELECT u.email, e.share_progress, e.share_progress_chosen_at IS NOT NULL AS chosen, e.consent_reset_at IS NOT NULL AS reset,
                e.consent_notice_sent_at IS NOT NULL AS notice_sent, e.share_progress_chosen_at = e.updated_at AS chosen_is_updated
         FROM enrollments e JOIN users u ON u.id = e.user_id ORDER BY u.email`,
      );
      expect(rows).toEqual([
        {
          email: 'abandoned@example.com',
          share_progress: false,
          chosen: false,
          reset: true,
          notice_sent: true,
          chosen_is_updated: null,
        },
        {
          email: 'chose-off@example.com',
          share_progress: false,
          chosen: true,
          reset: false,
          notice_sent: false,
          chosen_is_updated: true,
        },
        {
          email: 'default-on@example.com',
          share_progress: false,
          chosen: false,
          reset: true,
          notice_sent: false,
          chosen_is_updated: null,
        },
        {
          email: 'refunded@example.com',
          share_progress: false,
          chosen: false,
          reset: true,
          notice_sent: false,
          chosen_is_updated: null,
        },
      ]);
      const [{ default: after }] = await ds.query(
        `SELECT column_default AS default FROM information_schema.columns WHERE table_name = 'enrollments' AND column_name = 'share_progress'`,
      );
      expect(after).toBe('false');
    } finally {
      await runner.release();
      await ds.destroy();
    }

    // The app tells the members whose sharing was switched off, once; not the one who had chosen.
    const t = await startTestApp({ databaseUrl: db.url, workers: false });
    try {
      const progress = t.app.get(ProgressService);
      expect(await progress.sendConsentNotices()).toBe(2);
      expect(await progress.sendConsentNotices()).toBe(0);
      const mails: { to_address: string; subject: string; text: string }[] =
        await t.dataSource.query(
          `SELECT to_address, subject, text FROM mail_outbox WHERE kind = 'program_consent_reset' ORDER BY to_address`,
        );
      expect(mails.map((m) => m.to_address)).toEqual([
        'default-on@example.com',
        'refunded@example.com',
      ]);
      expect(mails[0].text).toMatch(/^Hello Dee,/);
      expect(mails[0].text).toContain('/program/steps');
    } finally {
      await t.close();
      await dropTestDatabase(db.name);
    }
  });
});
