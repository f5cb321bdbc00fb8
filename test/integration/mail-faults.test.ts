import { MailDelivery } from '../../src/mail/mail-delivery';
import { MailService } from '../../src/mail/mail.service';
import { MailMessage } from '../../src/mail/mail.types';
import { startTestApp, TestApp } from '../support/app';
import { MailCatcher } from '../support/mail-catcher';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function enqueueMany(t: TestApp, messages: MailMessage[]): Promise<string[]> {
  const service = t.app.get(MailService);
  return t.dataSource.transaction(async (m) => {
    const ids: string[] = [];
    for (const message of messages) ids.push(await service.enqueue(m, message));
    return ids;
  });
}

const batch = (prefix: string, n: number, lane?: 'bulk'): MailMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: lane ? 'newsletter_post' : 'test',
    lane,
    to: `${prefix}${i}@example.com`,
    subject: `${prefix} ${i}`,
    text: 'hello',
  }));

describe('Mail delivery at volume and under faults (real SMTP server)', () => {
  const mail = new MailCatcher();
  let t: TestApp;

  beforeAll(async () => {
    const url = await mail.start();
    t = await startTestApp({ env: { MAIL_URL: url, NEWSLETTER_MAX_PER_MINUTE: '600' } });
    t.app.get(MailDelivery).retryBaseMs = 200;
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  const statuses = async (ids: string[]) =>
    (await t.dataSource.query(
      `SELECT id, status, attempts, last_error FROM mail_outbox WHERE id = ANY($1::uuid[])`,
      [ids],
    )) as { id: string; status: string; attempts: number; last_error: string | null }[];

  it('delivers 300 mails, each exactly once, each with its own stable Message-ID', async () => {
    const ids = await enqueueMany(t, batch('vol', 300));
    await until(
      '300 mails',
      async () => mail.mails.filter((m) => m.subject.startsWith('vol ')).length >= 300,
    );
    const got = mail.mails.filter((m) => m.subject.startsWith('vol '));
    expect(new Set(got.map((m) => m.to[0])).size).toBe(300);
    expect(new Set(got.map((m) => m.headers.get('message-id'))).size).toBe(300);
    const expected = new Set(ids.map((id) => `<${id}@mend.local>`));
    for (const m of got) expect(expected.has(String(m.headers.get('message-id')))).toBe(true);
    await until('all marked sent', async () =>
      (await statuses(ids)).every((r) => r.status === 'sent'),
    );
    expect(got).toHaveLength(300);
  });

  it('SMTP down for a while: nothing is marked sent that was not received; everything arrives once it is back', async () => {
    const port = mail.port;
    await mail.stop(); // connection refused
    const ids = await enqueueMany(t, batch('outage', 200));
    await until('failed attempts while down', async () =>
      (await statuses(ids)).some((r) => r.attempts >= 1 && r.last_error),
    );
    let rows = await statuses(ids);
    expect(rows.filter((r) => r.status !== 'pending')).toEqual([]);

    // Back, but refusing every mail after its DATA (451): still nothing may count as sent.
    mail.refuse = true;
    await mail.start(port);
    const triedBefore = rows.reduce((n, r) => n + r.attempts, 0);
    await until(
      'attempts against the refusing server',
      async () => (await statuses(ids)).reduce((n, r) => n + r.attempts, 0) > triedBefore + 3,
    );
    rows = await statuses(ids);
    expect(rows.filter((r) => r.status !== 'pending')).toEqual([]);
    expect(mail.mails.filter((m) => m.subject.startsWith('outage '))).toEqual([]);

    mail.refuse = false;
    await until(
      'every mail after the outage',
      async () =>
        new Set(mail.mails.filter((m) => m.subject.startsWith('outage ')).map((m) => m.to[0]))
          .size >= 200,
      90_000,
    );
    await until(
      'all marked sent',
      async () => (await statuses(ids)).every((r) => r.status === 'sent'),
      30_000,
    );
    const got = mail.mails.filter((m) => m.subject.startsWith('outage '));
    // Every failure happened before the server accepted the mail, so nothing was repeated.
    expect(got).toHaveLength(200);
  });

  it('a transactional mail goes out while a paced newsletter is still sending; the pace holds', async () => {
    const bulkIds = await enqueueMany(t, batch('bulk', 40, 'bulk')); // 600 a minute: at most 10 a second
    await until('the newsletter under way', async () =>
      mail.mails.some((m) => m.subject.startsWith('bulk ')),
    );
    await enqueueMany(t, [
      {
        kind: 'booking_confirmed',
        to: 'client@example.com',
        subject: 'Your session is booked',
        text: 'See you then.',
      },
    ]);
    await mail.waitFor((m) => m.subject === 'Your session is booked', 30_000);
    const bulkBefore = mail.mails.filter((m) => m.subject.startsWith('bulk ')).length;
    expect(bulkBefore).toBeLessThan(40); // it did not wait for the newsletter to finish

    await until(
      'the whole newsletter',
      async () => mail.mails.filter((m) => m.subject.startsWith('bulk ')).length >= 40,
      60_000,
    );
    // The pace: never more than ceil(600 / 60) = 10 bulk mails started within any one second.
    const claimed = (
      (await t.dataSource.query(
        `SELECT claimed_at FROM mail_outbox WHERE id = ANY($1::uuid[]) ORDER BY claimed_at`,
        [bulkIds],
      )) as { claimed_at: Date }[]
    ).map((r) => r.claimed_at.getTime());
    for (let i = 0; i < claimed.length; i++) {
      const within = claimed.filter((c) => c >= claimed[i] && c < claimed[i] + 1000).length;
      expect(within).toBeLessThanOrEqual(10);
    }
    expect(claimed.length).toBe(40);
  });
});
