import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { RoundResult } from '../jobs/loop';
import {
  bulkBudget,
  isConnectionError,
  isPermanentSmtpError,
  messageIdFor,
  retryDelayMs,
  shouldGiveUp,
} from './delivery-rules';
import { MAIL_IDENTITY, MailIdentity, signMail } from './mail-identity';
import { ClaimedMail, MAIL_LOOP, MailOutboxRepository } from './mail-outbox.repository';
import { MailRenderers } from './mail-renderers';
import { RenderedMail } from './mail.types';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';

/** Sends in flight at once in one instance (the SMTP pool has as many connections). */
export const MAIL_CONCURRENCY = 10;
/** Slots bulk mail may never take, so a transactional mail starts at once even mid-newsletter. */
const TRANSACTIONAL_RESERVE = 2;
/** Finished sends wake the loop once this many slots are free (claims in batches, not one per send). */
const MIN_CLAIM = 4;
/** Bulk mail is claimed at least this many at a time while some is in flight. */
const MIN_BULK_CLAIM = 4;

/**
 * Delivers the outbox: claim (one short transaction, committed), send (no transaction, lock or
 * pooled connection held), record (one UPDATE). At least once: a crash between sending and
 * recording repeats that mail, with the same Message-ID. Transactional mail is claimed first and
 * has slots of its own; newsletters are paced by NEWSLETTER_MAX_PER_MINUTE across all instances.
 */
@Injectable()
export class MailDelivery implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(MailDelivery.name);
  private readonly inFlight = new Map<string, { lane: string; done: Promise<void> }>();
  /** First retry delay (doubling); tests lower it. */
  retryBaseMs = 5_000;
  /** After the SMTP server was unreachable: pause claiming until then (one probe, not a burst of failures). */
  private pausedUntil = 0;
  private pauseMs = 0;
  private sentToRecord: string[] = [];
  private recording: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly outbox: MailOutboxRepository,
    private readonly renderers: MailRenderers,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(MAIL_IDENTITY) private readonly identity: MailIdentity | null = null,
  ) {}

  onModuleInit(): void {
    this.jobs.registerLoop(MAIL_LOOP, () => this.round());
  }

  /** Before the pool closes: no new claims, the sends in flight finish and are recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.jobs.stopLoops();
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
    this.transport?.close();
  }

  /** Resolves when no send is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()].map((f) => f.done));
  }

  /**
   * One round of the delivery loop: claim what the free slots allow (transactional first) and
   * start sending it. Finished sends wake the loop as soon as MIN_CLAIM slots are free, and new
   * mail wakes it by NOTIFY, so slots are refilled at once while work remains.
   */
  async round(): Promise<RoundResult> {
    if (!this.transport) {
      const kept = await this.outbox.keepDue(200);
      // Kept mail is read on the outbox page: written as it would have been sent.
      const toRender = kept.filter((m) => m.params !== null);
      if (toRender.length) {
        const { rendered, failed } = await this.render(toRender);
        await this.persist(() => this.outbox.saveRendered(rendered));
        for (const f of failed)
          this.logger.error(
            { outboxId: f.id, error: f.error.message },
            'could not render a kept mail',
          );
      }
      for (const m of kept)
        this.logger.log({ outboxId: m.id, kind: m.kind }, 'mail kept in the outbox (no MAIL_URL)');
      return kept.length === 200 ? 0 : null;
    }
    const pause = this.pausedUntil - Date.now();
    if (pause > 0) return pause;
    const free = MAIL_CONCURRENCY - this.inFlight.size;
    if (free <= 0) return null; // woken again as sends finish
    const bulkInFlight = [...this.inFlight.values()].filter((f) => f.lane === 'bulk').length;
    const workerId = this.jobs.workerId;
    const claimed = await this.dataSource.transaction(async (m) => {
      const transactional = await this.outbox.claim(m, 'transactional', workerId, free);
      const room = Math.min(
        free - transactional.length,
        MAIL_CONCURRENCY - TRANSACTIONAL_RESERVE - bulkInFlight,
      );
      // Bulk is claimed a few at a time (not one query per finished send), unless none is in flight.
      if (room <= 0 || (room < MIN_BULK_CLAIM && bulkInFlight > 0))
        return { transactional, bulk: [] as ClaimedMail[], asked: 0, paced: false };
      const pace = await this.outbox.lockBulkPace(m);
      const budget = bulkBudget(
        this.config.mail.newsletterMaxPerMinute,
        pace.lastMinute,
        pace.lastSecond,
      );
      const asked = Math.min(room, budget);
      return {
        transactional,
        bulk: await this.outbox.claim(m, 'bulk', workerId, asked),
        asked,
        paced: budget < room,
      };
    });
    for (const mail of await this.rendered([...claimed.transactional, ...claimed.bulk]))
      this.start(mail);
    if (claimed.transactional.length === free) return 0; // more transactional mail may be waiting
    const bulkMayRemain = claimed.asked === 0 || claimed.bulk.length === claimed.asked;
    // Held back by the pace: look again when the one-second window has moved on.
    if (claimed.paced && bulkMayRemain) return 200;
    return claimed.transactional.length || claimed.bulk.length ? 0 : null;
  }

  /** Renders mails stored with parameters (a kind's renderer at once for all), stores them, so a retry sends the same. */
  private async render(mails: { id: string; kind: string; params: unknown }[]): Promise<{
    rendered: { id: string; mail: RenderedMail }[];
    failed: { id: string; error: Error }[];
  }> {
    const results = await this.renderers.renderAll(mails);
    const rendered: { id: string; mail: RenderedMail }[] = [];
    const failed: { id: string; error: Error }[] = [];
    for (const [id, r] of results) {
      if (r instanceof Error) failed.push({ id, error: r });
      else rendered.push({ id, mail: r });
    }
    return { rendered, failed };
  }

  /** The claimed mails ready to send: those stored with parameters rendered first (failures retried later). */
  private async rendered(claimed: ClaimedMail[]): Promise<ClaimedMail[]> {
    const toRender = claimed.filter((m) => m.params !== null && m.params !== undefined);
    if (!toRender.length) return claimed;
    const { rendered, failed } = await this.render(toRender);
    try {
      await this.outbox.saveRendered(rendered);
    } catch (e) {
      // Not stored: let those claims lapse into a retry rather than send what a retry might word differently.
      for (const m of toRender) void this.recordFailure(m, e);
      return claimed.filter((m) => !toRender.includes(m));
    }
    const byId = new Map(rendered.map((r) => [r.id, r.mail]));
    for (const f of failed) {
      const mail = toRender.find((m) => m.id === f.id)!;
      void this.recordFailure(mail, f.error);
    }
    return claimed.flatMap((m) => {
      if (!toRender.includes(m)) return [m];
      const r = byId.get(m.id);
      if (!r) return [];
      return [
        {
          ...m,
          to: r.to ?? m.to,
          subject: r.subject,
          text: r.text,
          html: r.html ?? null,
          headers: r.headers ?? {},
          attachments: r.attachments ?? [],
          params: null,
        },
      ];
    });
  }

  private start(mail: ClaimedMail): void {
    const done = this.send(mail).finally(() => {
      this.inFlight.delete(mail.id);
      // Refill in batches, not with a claim per finished send (new mail wakes the loop by NOTIFY).
      if (MAIL_CONCURRENCY - this.inFlight.size >= MIN_CLAIM) this.jobs.wake(MAIL_LOOP);
    });
    this.inFlight.set(mail.id, { lane: mail.lane, done });
  }

  private async send(mail: ClaimedMail): Promise<void> {
    const transport = this.transport!;
    try {
      // Who it is from and how it is signed: the practice's own name (cached by the site module).
      const from = this.identity ? await this.identity.mailFrom() : this.config.mail.from;
      const signature = this.identity ? await this.identity.mailSignature() : null;
      await transport.send(
        from,
        {
          kind: mail.kind,
          to: mail.to,
          subject: mail.subject,
          text: signature ? signMail(mail.text, signature) : mail.text,
          html: mail.html ?? undefined,
          headers: mail.headers,
          attachments: mail.attachments,
        },
        { messageId: messageIdFor(mail.id, this.config.mail.from) },
      );
    } catch (e) {
      await this.recordFailure(mail, e);
      return;
    }
    this.pauseMs = 0;
    await this.recordSent(mail.id);
    this.logger.log({ outboxId: mail.id, kind: mail.kind, attempts: mail.attempts }, 'mail sent');
  }

  /**
   * Marks sends as recorded, coalescing: while one UPDATE runs, the sends that finish meanwhile
   * wait for the next (one query for many mails under load, at once when idle).
   */
  private recordSent(id: string): Promise<void> {
    this.sentToRecord.push(id);
    this.recording ??= this.flushSent();
    return this.recording;
  }

  private async flushSent(): Promise<void> {
    try {
      while (this.sentToRecord.length) {
        const ids = this.sentToRecord.splice(0);
        await this.persist(() => this.outbox.markSent(ids));
      }
    } finally {
      this.recording = null; // in the same step as the last check: no id is left behind
    }
  }

  private async recordFailure(mail: ClaimedMail, e: unknown): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    const permanent = isPermanentSmtpError(e);
    const now = new Date();
    const giveUp = shouldGiveUp(mail.attempts, permanent, mail.createdAt, now);
    if (isConnectionError(e) && Date.now() >= this.pausedUntil) {
      // The server is down: stop claiming for a while instead of failing every pending mail in turn.
      this.pauseMs = Math.min(Math.max(this.pauseMs * 2, 500), 30_000);
      this.pausedUntil = Date.now() + this.pauseMs;
    }
    const next = new Date(now.getTime() + retryDelayMs(mail.attempts, this.retryBaseMs));
    await this.persist(() =>
      this.outbox.recordFailure(mail.id, this.jobs.workerId, message, next, giveUp),
    );
    this.logger.warn(
      {
        outboxId: mail.id,
        kind: mail.kind,
        attempts: mail.attempts,
        error: message.slice(0, 200),
        gaveUp: giveUp,
      },
      giveUp ? 'mail delivery failed; giving up' : 'mail delivery failed; will retry',
    );
  }

  /** Records an outcome, retrying a few times if the database hiccups (an unrecorded send would be repeated). */
  private async persist(write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (e) {
        if (attempt >= 5) {
          this.logger.error(
            { error: e instanceof Error ? e.message : String(e) },
            'could not record a mail delivery; its claim will lapse and it may be sent again',
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }
}
