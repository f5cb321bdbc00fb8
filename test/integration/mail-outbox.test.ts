import { MailDelivery } from '../../src/mail/mail-delivery';
import { MailService } from '../../src/mail/mail.service';
import { MailCatcher } from '../support/mail-catcher';
import { startTestApp, TestApp } from '../support/app';

describe('Mail outbox', () => {
  const mail = new MailCatcher();
  let t: TestApp;
  let service: MailService;

  beforeAll(async () => {
    const url = await mail.start();
    t = await startTestApp({ env: { MAIL_URL: url } });
    service = t.app.get(MailService);
    t.app.get(MailDelivery).retryBaseMs = 100; // retries come due in a moment, not in seconds
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  it('sends mail written in a committed transaction, once', async () => {
    await t.dataSource.transaction((m) =>
      service.enqueue(m, {
        kind: 'test',
        to: 'one@example.com',
        subject: 'Committed',
        text: 'hello',
      }),
    );
    const got = await mail.waitFor((x) => x.subject === 'Committed');
    expect(got.text.trim()).toBe('hello');
    // The SMTP server has the mail a moment before the worker's transaction commits.
    let row: { status: string; attempts: number } | undefined;
    for (let i = 0; i < 100 && row?.status !== 'sent'; i++) {
      [row] = await t.dataSource.query(
        `SELECT status, attempts FROM mail_outbox WHERE subject = 'Committed'`,
      );
      if (row?.status !== 'sent') await new Promise((r) => setTimeout(r, 50));
    }
    expect(row).toEqual({ status: 'sent', attempts: 1 });
  });

  it('sends nothing when the transaction rolls back', async () => {
    await expect(
      t.dataSource.transaction(async (m) => {
        await service.enqueue(m, {
          kind: 'test',
          to: 'two@example.com',
          subject: 'Rolled back',
          text: 'no',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.dataSource.transaction((m) =>
      service.enqueue(m, { kind: 'test', to: 'two@example.com', subject: 'After', text: 'yes' }),
    );
    await mail.waitFor((x) => x.subject === 'After');
    expect(mail.mails.some((x) => x.subject === 'Rolled back')).toBe(false);
    const rows = await t.dataSource.query(
      `SELECT 1 FROM mail_outbox WHERE subject = 'Rolled back'`,
    );
    expect(rows).toHaveLength(0);
  });

  it('keeps a mail the server refuses and delivers it on a retry', async () => {
    mail.refuse = true;
    const id = await t.dataSource.transaction((m) =>
      service.enqueue(m, { kind: 'test', to: 'three@example.com', subject: 'Retry me', text: 'x' }),
    );
    // Wait until the worker has tried and failed at least once.
    for (let i = 0; i < 100; i++) {
      const [row] = await t.dataSource.query(
        `SELECT attempts, status, last_error FROM mail_outbox WHERE id = $1`,
        [id],
      );
      if (row.attempts >= 1) {
        expect(row.status).toBe('pending');
        expect(row.last_error).toBeTruthy();
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    mail.refuse = false;
    const got = await mail.waitFor((x) => x.subject === 'Retry me');
    // Every attempt carries the row's Message-ID, so a repeat is recognisable.
    expect(got.headers.get('message-id')).toBe(`<${id}@mend.local>`);
    let row: { status: string; attempts: number } | undefined;
    for (let i = 0; i < 100 && row?.status !== 'sent'; i++) {
      [row] = await t.dataSource.query(`SELECT status, attempts FROM mail_outbox WHERE id = $1`, [
        id,
      ]);
      if (row?.status !== 'sent') await new Promise((r) => setTimeout(r, 50));
    }
    expect(row!.status).toBe('sent');
    expect(row!.attempts).toBeGreaterThanOrEqual(2);
    expect(mail.mails.filter((x) => x.subject === 'Retry me')).toHaveLength(1);
  });
});

describe('Mail outbox without MAIL_URL', () => {
  it('keeps mail for the outbox page and never logs its body', async () => {
    const t = await startTestApp();
    try {
      const service = t.app.get(MailService);
      const id = await t.dataSource.transaction((m) =>
        service.enqueue(m, {
          kind: 'test',
          to: 'x@example.com',
          subject: 'Kept',
          text: 'secret-link-token',
        }),
      );
      for (let i = 0; i < 100; i++) {
        const [row] = await t.dataSource.query(`SELECT status FROM mail_outbox WHERE id = $1`, [
          id,
        ]);
        if (row.status === 'kept') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const list = await service.list();
      expect(list.find((m) => m.id === id)?.status).toBe('kept');
    } finally {
      await t.close();
    }
  });
});
