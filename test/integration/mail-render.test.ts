import { MailDelivery } from '../../src/mail/mail-delivery';
import { MailService } from '../../src/mail/mail.service';
import { RenderedMail } from '../../src/mail/mail.types';
import { MailCatcher } from '../support/mail-catcher';
import { startTestApp, TestApp } from '../support/app';

/** Mail stored as kind + parameters and rendered by the delivery worker after commit. */
describe('mail rendered at delivery', () => {
  const mail = new MailCatcher();
  let t: TestApp;
  let service: MailService;
  let failRenders = 0;
  let renders = 0;

  beforeAll(async () => {
    const url = await mail.start();
    t = await startTestApp({ env: { MAIL_URL: url } });
    service = t.app.get(MailService);
    t.app.get(MailDelivery).retryBaseMs = 100;
    service.registerRenderer('test_render', {
      render: (params) => {
        renders++;
        if (failRenders > 0) {
          failRenders--;
          return Promise.reject(new Error('context not available'));
        }
        return Promise.resolve(
          params.map((p): RenderedMail => {
            const { who, to } = p as { who: string; to?: string };
            return { to, subject: `Hello ${who}`, text: `Dear ${who},\nrendered.` };
          }),
        );
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  const enqueue = (mails: { to: string | null; params: object; kind?: string }[]) =>
    t.dataSource.transaction(async (m) => {
      const ids = await service.enqueueToRender(
        m,
        mails.map((x) => ({ kind: x.kind ?? 'test_render', to: x.to, params: x.params })),
      );
      return ids;
    });

  const row = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT status, to_address, subject, text, params, attempts, last_error FROM mail_outbox WHERE id = $1`,
        [id],
      )
    )[0] as {
      status: string;
      to_address: string;
      subject: string;
      text: string;
      params: unknown;
      attempts: number;
      last_error: string | null;
    };

  it('renders after commit, with the recipient the renderer gives when none was stored, and keeps what it sent', async () => {
    const [a, b] = await enqueue([
      { to: 'ann@example.com', params: { who: 'Ann' } },
      { to: null, params: { who: 'Bo', to: 'bo@example.com' } },
    ]);
    service.deliverSoon();
    const gotA = await mail.waitFor((x) => x.subject === 'Hello Ann');
    const gotB = await mail.waitFor((x) => x.subject === 'Hello Bo');
    expect(gotA.to).toContain('ann@example.com');
    expect(gotB.to).toContain('bo@example.com');
    for (let i = 0; i < 100 && (await row(b)).status !== 'sent'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await row(a)).toMatchObject({
      to_address: 'ann@example.com',
      subject: 'Hello Ann',
      text: 'Dear Ann,\nrendered.',
      params: null,
    });
    expect(await row(b)).toMatchObject({
      status: 'sent',
      to_address: 'bo@example.com',
      subject: 'Hello Bo',
      params: null,
    });
  });

  it('a renderer that fails sends nothing empty: the attempt is recorded and a retry renders and sends it', async () => {
    failRenders = 1;
    const before = renders;
    const [id] = await enqueue([{ to: 'cy@example.com', params: { who: 'Cy' } }]);
    service.deliverSoon();
    const got = await mail.waitFor((x) => x.to.includes('cy@example.com'));
    expect(got.subject).toBe('Hello Cy');
    expect(renders - before).toBeGreaterThanOrEqual(2);
    expect(mail.mails.filter((x) => x.to.includes('cy@example.com'))).toHaveLength(1);
    for (let i = 0; i < 100 && (await row(id)).status !== 'sent'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await row(id)).attempts).toBeGreaterThanOrEqual(2);
  });

  it('a kind nobody renders is never sent as an empty mail', async () => {
    const [id] = await enqueue([
      { kind: 'nobody_renders_this', to: 'dee@example.com', params: {} },
    ]);
    service.deliverSoon();
    for (let i = 0; i < 100 && (await row(id)).last_error === null; i++)
      await new Promise((r) => setTimeout(r, 50));
    const r = await row(id);
    expect(r.status).toBe('pending');
    expect(r.last_error).toMatch(/no renderer/);
    expect(mail.mails.some((x) => x.to.includes('dee@example.com'))).toBe(false);
  });
});
