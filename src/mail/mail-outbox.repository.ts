import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ComposedStatement } from '../database/composed-statement';
import { runStatement } from '../database/statements.repository';
import { WAKE_CHANNEL, WORKER_APP_PREFIX } from '../jobs/wakeups';
import { MailMessage, MailToRender, RenderedMail } from './mail.types';
import { MailLane, OutboxAttachment } from './outbox-mail.entity';

/** The loop that delivers the outbox (woken by a NOTIFY with this name). */
export const MAIL_LOOP = 'mail-delivery';
/** How long a claim stands if its worker stays connected but never finishes (longer than any SMTP timeout). */
const CLAIM_SECONDS = 300;

export interface ClaimedMail {
  id: string;
  kind: string;
  lane: MailLane;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  attachments: OutboxAttachment[];
  attempts: number;
  createdAt: Date;
  /** Set while the mail is still to be rendered (see MailToRender). */
  params: unknown;
}

interface ClaimedRow {
  id: string;
  kind: string;
  lane: MailLane;
  to_address: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  attachments: OutboxAttachment[];
  attempts: number;
  created_at: Date;
  params: unknown;
}

/** Every query on mail_outbox. */
@Injectable()
export class MailOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One INSERT that also wakes the delivery loops when the caller's transaction commits. */
  async insert(manager: EntityManager, message: MailMessage): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `WITH inserted AS (
         INSERT INTO mail_outbox (id, kind, to_address, subject, text, html, headers, attachments, status, lane)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9) RETURNING id
       )
       SELECT pg_notify($10, $11) FROM inserted`,
      [
        id,
        message.kind,
        message.to,
        message.subject,
        message.text,
        message.html ?? null,
        JSON.stringify(message.headers ?? {}),
        JSON.stringify(message.attachments ?? []),
        message.lane ?? 'transactional',
        WAKE_CHANNEL,
        MAIL_LOOP,
      ],
    );
    return id;
  }

  /**
   * Mails to render at delivery, any number in one INSERT (no NOTIFY: the caller nudges the
   * delivery loops after its commit, see MailService.enqueueToRender). Subject and text stay
   * empty until rendered.
   */
  async insertToRender(manager: EntityManager, mails: MailToRender[]): Promise<string[]> {
    if (!mails.length) return [];
    const s = new ComposedStatement();
    const ids = this.insertToRenderCte(s, mails);
    await runStatement(this.dataSource, manager, s.build('SELECT 1'));
    return ids;
  }

  /**
   * For a composed statement: the CTE `mail_queued` inserting mails to render (see
   * insertToRender), only when the CTE `after` (if given) has a row. Each mail's params are
   * merged with `extraParams`, a jsonb SQL expression that may read earlier CTEs (e.g. what the
   * statement's own upsert returned). Returns the mails' ids.
   */
  insertToRenderCte(
    s: ComposedStatement,
    mails: MailToRender[],
    after?: string,
    extraParams = `'{}'::jsonb`,
  ): string[] {
    const ids = mails.map(() => randomUUID());
    // One JSON parameter for all rows (not arrays, which the driver escapes character by character).
    const rows = JSON.stringify(
      mails.map((m, i) => ({
        id: ids[i],
        kind: m.kind,
        to_address: m.to ?? '',
        params: m.params,
        lane: m.lane ?? 'transactional',
      })),
    );
    s.with(
      'mail_queued',
      `INSERT INTO mail_outbox (id, kind, to_address, subject, text, params, status, lane)
       SELECT u.id, u.kind, u.to_address, '', '', u.params || ${extraParams}, 'pending', u.lane
       FROM jsonb_to_recordset(${s.param(rows, 'jsonb')})
         AS u(id uuid, kind text, to_address text, params jsonb, lane text)${after ? ` CROSS JOIN ${after}` : ''}`,
    );
    return ids;
  }

  /** Stores what the renderers wrote (one UPDATE for many), so retries send the same mail. */
  async saveRendered(rendered: { id: string; mail: RenderedMail }[]): Promise<void> {
    if (!rendered.length) return;
    await this.dataSource.query(
      `UPDATE mail_outbox o
       SET to_address = COALESCE(u.to_address, o.to_address), subject = u.subject, text = u.text, html = u.html,
           headers = u.headers, attachments = u.attachments, params = NULL
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[])
            AS u(id, to_address, subject, text, html, headers, attachments)
       WHERE o.id = u.id AND o.params IS NOT NULL`,
      [
        rendered.map((r) => r.id),
        rendered.map((r) => r.mail.to ?? null),
        rendered.map((r) => r.mail.subject),
        rendered.map((r) => r.mail.text),
        rendered.map((r) => r.mail.html ?? null),
        rendered.map((r) => JSON.stringify(r.mail.headers ?? {})),
        rendered.map((r) => JSON.stringify(r.mail.attachments ?? [])),
      ],
    );
  }

  /**
   * Account erasure, inside the caller's transaction: deletes the copies of mail already handled
   * (sent, kept or failed) that went to this address or mention it.
   */
  async deleteHandledMentioning(manager: EntityManager, address: string): Promise<void> {
    await manager.query(
      `DELETE FROM mail_outbox WHERE status <> 'pending'
         AND (lower(to_address) = lower($1) OR position(lower($1) IN lower(text)) > 0
              OR (params IS NOT NULL AND position(lower($1) IN lower(params::text)) > 0))`,
      [address],
    );
  }

  /**
   * Claims up to `limit` due mails of a lane for `workerId` and commits the claim, so the SMTP
   * conversation that follows holds no transaction, lock or pooled connection. Mail claimed by a
   * worker whose connection is gone (its process died) is due again at once; a claim also lapses
   * after CLAIM_SECONDS. SKIP LOCKED lets any number of instances claim side by side.
   */
  async claim(
    manager: EntityManager,
    lane: MailLane,
    workerId: string,
    limit: number,
  ): Promise<ClaimedMail[]> {
    if (limit <= 0) return [];
    const [rows] = (await manager.query(
      `WITH picked AS (
         SELECT o.id FROM mail_outbox o
         WHERE o.status = 'pending' AND o.lane = $1 AND o.next_attempt_at <= now()
           AND (o.claimed_by IS NULL OR o.claim_expires_at <= now()
                OR (o.claimed_by <> $2 AND NOT EXISTS (
                      SELECT 1 FROM pg_stat_activity a WHERE a.application_name = $4 || o.claimed_by)))
         ORDER BY o.next_attempt_at, o.created_at
         LIMIT $3
         FOR UPDATE OF o SKIP LOCKED
       )
       UPDATE mail_outbox o
       SET claimed_by = $2, claimed_at = clock_timestamp(), claim_expires_at = now() + make_interval(secs => $5),
           attempts = o.attempts + 1
       FROM picked WHERE o.id = picked.id
       RETURNING o.id, o.kind, o.lane, o.to_address, o.subject, o.text, o.html, o.headers, o.attachments, o.attempts, o.created_at, o.params`,
      [lane, workerId, limit, WORKER_APP_PREFIX, CLAIM_SECONDS],
    )) as [ClaimedRow[], number];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      lane: r.lane,
      to: r.to_address,
      subject: r.subject,
      text: r.text,
      html: r.html,
      headers: r.headers,
      attachments: r.attachments,
      attempts: r.attempts,
      createdAt: r.created_at,
      params: r.params,
    }));
  }

  /**
   * Bulk mails started in the last minute and second, counted under a transaction-scoped advisory
   * lock so that instances claiming at the same moment cannot overrun the pace together.
   */
  async lockBulkPace(manager: EntityManager): Promise<{ lastMinute: number; lastSecond: number }> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('mend:mail-bulk-pace'))`);
    const [row] = (await manager.query(
      `SELECT count(*)::int AS minute, count(*) FILTER (WHERE claimed_at > clock_timestamp() - interval '1 second')::int AS second
       FROM mail_outbox WHERE lane = 'bulk' AND claimed_at > clock_timestamp() - interval '60 seconds'`,
    )) as { minute: number; second: number }[];
    return { lastMinute: row.minute, lastSecond: row.second };
  }

  async markSent(ids: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET status = 'sent', sent_at = now(), last_error = NULL, claimed_by = NULL, claim_expires_at = NULL
       WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [ids],
    );
  }

  /** A failed attempt: back to pending (due at `nextAttemptAt`) or given up. Only the claimer records it. */
  async recordFailure(
    id: string,
    workerId: string,
    error: string,
    nextAttemptAt: Date,
    giveUp: boolean,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET last_error = $3, next_attempt_at = $4, status = CASE WHEN $5 THEN 'failed' ELSE 'pending' END,
         claimed_by = NULL, claim_expires_at = NULL
       WHERE id = $1 AND status = 'pending' AND claimed_by = $2`,
      [id, workerId, error.slice(0, 500), nextAttemptAt, giveUp],
    );
  }

  /** No MAIL_URL: due mail is kept for the outbox page instead of sent. */
  async keepDue(limit: number): Promise<{ id: string; kind: string; params: unknown }[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE mail_outbox SET status = 'kept', claimed_by = NULL, claim_expires_at = NULL
       WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'pending' ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, params`,
      [limit],
    )) as [{ id: string; kind: string; params: unknown }[], number];
    return rows;
  }
}
