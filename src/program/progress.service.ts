import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { MailService } from '../mail/mail.service';
import {
  MemberStepDetailDto,
  MemberStepDto,
  MyProgramDto,
  ReflectionDto,
  ReflectionOutDto,
} from './dto/program.dto';
import { Enrollment, EnrollmentStep, OpenedVia } from './enrollment.entity';
import { Program } from './program.entity';
import { ProgramService } from './program.service';
import { Reflection } from './reflection.entity';
import { STEP_COUNT, StepView, stepStatuses } from './unlocking';

export const STEP_OPENED_QUEUE = 'program-step-opened';
export const REENCRYPT_QUEUE = 'program-reflections-reencrypt';
export const CONSENT_NOTICE_QUEUE = 'program-consent-notice';

export const reflectionContext = (userId: string, step: number): string =>
  `reflection:${userId}:${step}`;

/**
 * A member's way through the steps: what is open (the unlocking rule, with every opening recorded
 * the first time it is seen so later dripDays changes can't lock it again), reflections
 * (encrypted), completion, consent to share progress, and the "a new step is open" mail.
 */
@Injectable()
export class ProgressService implements OnModuleInit {
  private readonly logger = new Logger(ProgressService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly program: ProgramService,
    private readonly encryption: EncryptionService,
    private readonly mail: MailService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const used: { key_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT key_id FROM reflections`,
    );
    this.encryption.assertKeysConfigured(
      used.map((r) => r.key_id),
      'reflections',
    );
    this.jobs.register(STEP_OPENED_QUEUE, () => this.notifyOpenedSteps().then(() => undefined), {
      retryLimit: 2,
      retryDelay: 30,
    });
    this.jobs.schedule(STEP_OPENED_QUEUE, '*/5 * * * *');
    this.jobs.register(
      CONSENT_NOTICE_QUEUE,
      () => this.sendConsentNotices().then(() => undefined),
      { retryLimit: 2, retryDelay: 60 },
    );
    this.jobs.schedule(CONSENT_NOTICE_QUEUE, '*/15 * * * *');
    this.jobs.register(REENCRYPT_QUEUE, () => this.reencryptReflections().then(() => undefined), {
      retryLimit: 2,
      retryDelay: 60,
    });
    this.jobs.schedule(REENCRYPT_QUEUE, '*/10 * * * *');
  }

  /**
   * Computes every step's status for an enrollment and records openings not yet recorded
   * (ON CONFLICT DO NOTHING: safe under concurrent requests). Only for active enrollments.
   */
  async materialize(
    m: EntityManager,
    enrollment: Enrollment,
    dripDays?: number,
  ): Promise<StepView[]> {
    const drip = dripDays ?? (await m.findOneOrFail(Program, { where: { id: 1 } })).dripDays;
    const rows = await m.find(EnrollmentStep, { where: { enrollmentId: enrollment.id } });
    const recorded = Array.from({ length: STEP_COUNT }, (_, i) => {
      const r = rows.find((x) => x.step === i + 1);
      return { openedAt: r?.openedAt ?? null, completedAt: r?.completedAt ?? null };
    });
    const views = stepStatuses({
      activatedAt: enrollment.activatedAt ?? enrollment.createdAt,
      dripDays: drip,
      steps: recorded,
      now: this.clock.now(),
    });
    if (enrollment.status !== 'active') return views;
    for (const v of views) {
      if (v.status === 'locked' || recorded[v.number - 1].openedAt || !v.availableAt) continue;
      const prev = views[v.number - 2];
      const via: OpenedVia =
        v.number === 1
          ? 'activation'
          : prev?.completedAt && v.availableAt.getTime() > prev.completedAt.getTime()
            ? 'drip'
            : 'completion';
      await m.query(
        `INSERT INTO enrollment_steps (enrollment_id, step, opened_at, opened_via) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [enrollment.id, v.number, v.availableAt, via],
      );
    }
    return views;
  }

  /** The member's active enrollment, or their latest one; null when they never enrolled. */
  async currentEnrollment(m: EntityManager, userId: string): Promise<Enrollment | null> {
    const active = await m.findOne(Enrollment, { where: { userId, status: 'active' } });
    if (active) return active;
    return m.findOne(Enrollment, {
      where: [{ userId, status: 'refunded' }],
      order: { createdAt: 'DESC' },
    });
  }

  /** Whether the member has a checkout open (paid enrollment waiting for the payment to be confirmed). */
  async hasPendingEnrollment(userId: string): Promise<boolean> {
    return this.dataSource.manager.exists(Enrollment, {
      where: { userId, status: 'pending_payment' },
    });
  }

  async overview(userId: string): Promise<MyProgramDto> {
    return this.dataSource.transaction(async (m) => {
      const enrollment = await this.currentEnrollment(m, userId);
      if (!enrollment) throw notEnrolled();
      return this.overviewOf(m, enrollment);
    });
  }

  async stepDetail(userId: string, n: number): Promise<MemberStepDetailDto> {
    const { view, content, reflection } = await this.dataSource.transaction(async (m) => {
      const { views } = await this.openStep(m, userId, n);
      const row = await m.findOne(Reflection, { where: { userId, step: n } });
      return { view: views[n - 1], content: await this.program.step(n, m), reflection: row };
    });
    return {
      ...this.stepDto(view, content.title),
      summary: content.summary,
      bodyHtml: content.bodyHtml,
      prompts: content.prompts,
      reflection: reflection ? this.reflectionOut(reflection) : null,
    };
  }

  /**
   * Saves the text. `sharedWithCoach` changes sharing only when given (the API's explicit choice);
   * omitted — as the step page's form and its autosave always do — sharing stays as it was, and a
   * new reflection is private. Sharing from the pages is its own confirmed action (setReflectionShared).
   */
  async saveReflection(userId: string, n: number, dto: ReflectionDto): Promise<ReflectionOutDto> {
    const sealed = this.encryption.encrypt(dto.text, reflectionContext(userId, n));
    const shared = dto.sharedWithCoach ?? null;
    const row = await this.dataSource.transaction(async (m) => {
      await this.openStep(m, userId, n);
      await m.query(
        `INSERT INTO reflections (user_id, step, key_id, nonce, ciphertext, shared_with_coach, updated_at)
         VALUES ($1, $2, $3, $4, $5, COALESCE($6::boolean, false), now())
         ON CONFLICT (user_id, step) DO UPDATE SET key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce,
           ciphertext = EXCLUDED.ciphertext,
           shared_with_coach = COALESCE($6::boolean, reflections.shared_with_coach), updated_at = now()`,
        [userId, n, sealed.keyId, sealed.nonce, sealed.ciphertext, shared],
      );
      return m.findOneOrFail(Reflection, { where: { userId, step: n } });
    });
    return this.reflectionOut(row);
  }

  /**
   * Shares a saved reflection with the coach, or makes it private again: the member's explicit
   * choice, never a side effect of saving. 404 when there is no saved reflection on that step.
   */
  async setReflectionShared(userId: string, n: number, shared: boolean): Promise<ReflectionOutDto> {
    const row = await this.dataSource.transaction(async (m) => {
      await this.openStep(m, userId, n);
      const existing = await m.findOne(Reflection, {
        where: { userId, step: n },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing)
        throw new DomainError(
          'NOT_FOUND',
          'There is no saved reflection on this step yet. Save it first.',
        );
      await m.update(Reflection, { id: existing.id }, { sharedWithCoach: shared });
      return m.findOneOrFail(Reflection, { where: { id: existing.id } });
    });
    return this.reflectionOut(row);
  }

  async complete(userId: string, n: number): Promise<MyProgramDto> {
    return this.dataSource.transaction(async (m) => {
      const { enrollment } = await this.openStep(m, userId, n);
      await m.query(
        `UPDATE enrollment_steps SET completed_at = $3 WHERE enrollment_id = $1 AND step = $2 AND completed_at IS NULL`,
        [enrollment.id, n, this.clock.now()],
      );
      return this.overviewOf(m, enrollment);
    });
  }

  async setShareProgress(userId: string, shareProgress: boolean): Promise<MyProgramDto> {
    return this.dataSource.transaction(async (m) => {
      const enrollment = await this.currentEnrollment(m, userId);
      if (!enrollment) throw notEnrolled();
      const chosenAt = this.clock.now();
      await m.update(
        Enrollment,
        { id: enrollment.id },
        { shareProgress, shareProgressChosenAt: chosenAt },
      );
      enrollment.shareProgress = shareProgress;
      enrollment.shareProgressChosenAt = chosenAt;
      return this.overviewOf(m, enrollment);
    });
  }

  /** The member's own reflections, decrypted (for their data export; kept after a refund). */
  async reflectionsOf(
    userId: string,
  ): Promise<{ step: number; text: string; sharedWithCoach: boolean; updatedAt: string }[]> {
    const rows = await this.dataSource.manager.find(Reflection, {
      where: { userId },
      order: { step: 'ASC' },
    });
    return rows.map((r) => ({ step: r.step, ...this.reflectionOut(r) }));
  }

  /**
   * After a key rotation: re-encrypts reflections written under an old key (ENCRYPTION_KEY_PREVIOUS)
   * under ENCRYPTION_KEY, in batches (rows locked with SKIP LOCKED, so instances share the work).
   * Once it reports 0 the old key can be removed from the configuration.
   */
  async reencryptReflections(batch = 200): Promise<number> {
    const total = await this.encryption.reencryptTable<{ user_id: string; step: number }>(
      'reflections',
      ['user_id', 'step'],
      (r) => reflectionContext(r.user_id, r.step),
      batch,
    );
    if (total) {
      await this.audit.keyRotated('reflections', this.encryption.keyId);
      this.logger.log({ count: total }, 'reflections re-encrypted under the current key');
    }
    return total;
  }

  /**
   * Records steps whose drip wait has passed and mails each member once about a step that opened
   * after a wait. Claimed with UPDATE … RETURNING in the mail's transaction: once, however many
   * instances run it.
   */
  async notifyOpenedSteps(): Promise<number> {
    const candidates: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT e.id FROM enrollments e JOIN enrollment_steps s ON s.enrollment_id = e.id
       WHERE e.status = 'active' AND s.completed_at IS NOT NULL AND s.step < 12
         AND NOT EXISTS (SELECT 1 FROM enrollment_steps n WHERE n.enrollment_id = e.id AND n.step = s.step + 1)`,
    );
    const program = await this.program.settings();
    for (const c of candidates) {
      await this.dataSource.transaction(async (m) => {
        const enrollment = await m.findOne(Enrollment, { where: { id: c.id, status: 'active' } });
        if (enrollment) await this.materialize(m, enrollment, program.dripDays);
      });
    }
    return this.dataSource.transaction(async (m) => {
      const claimed: { step: number; email: string; name: string }[] = await m
        .query(
          `UPDATE enrollment_steps s SET opened_mail_at = $1
         FROM enrollments e JOIN users u ON u.id = e.user_id
         WHERE e.id = s.enrollment_id AND e.status = 'active' AND s.opened_via = 'drip'
           AND s.opened_mail_at IS NULL AND s.completed_at IS NULL AND s.opened_at <= $1
         RETURNING s.step, u.email, COALESCE(NULLIF(btrim(u.preferred_name), ''), u.name) AS name`,
          [this.clock.now()],
        )
        .then(
          (r: [unknown[], number] | unknown[]) =>
            (Array.isArray(r[0]) ? r[0] : r) as { step: number; email: string; name: string }[],
        );
      for (const row of claimed) {
        const content = await this.program.step(row.step, m);
        await this.mail.enqueue(m, {
          kind: 'program_step_opened',
          to: row.email,
          subject: `Step ${row.step} of ${program.title} is open`,
          text:
            `Hello ${row.name},\n\nStep ${row.step}, “${content.title}”, is open for you now.\n\n` +
            `There is no hurry. Come to it when you have a quiet moment:\n${this.config.publicUrl}/program/steps/${row.step}\n\n` +
            `Your reflections stay private unless you choose to share one.\n\n— Mend`,
        });
      }
      if (claimed.length) this.logger.log({ count: claimed.length }, 'step-opened mails queued');
      return claimed.length;
    });
  }

  /**
   * Tells each member whose progress sharing the ConsentOptIn migration turned off (it was on only
   * by the old default) that it is off and that they can turn it on. Claimed with UPDATE …
   * RETURNING in the mail's transaction: once per enrollment, however many instances run it; a
   * member who has chosen meanwhile isn't bothered.
   */
  async sendConsentNotices(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const claimed = (await m
        .query(
          `UPDATE enrollments e SET consent_notice_sent_at = $1
         FROM users u WHERE u.id = e.user_id AND e.consent_reset_at IS NOT NULL AND e.consent_notice_sent_at IS NULL
           AND e.share_progress_chosen_at IS NULL AND e.status IN ('active', 'refunded')
         RETURNING u.email, COALESCE(NULLIF(btrim(u.preferred_name), ''), u.name) AS name`,
          [this.clock.now()],
        )
        .then((r: [unknown[], number] | unknown[]) => (Array.isArray(r[0]) ? r[0] : r))) as {
        email: string;
        name: string;
      }[];
      const program = claimed.length ? await this.program.settings(m) : null;
      for (const row of claimed) {
        await this.mail.enqueue(m, {
          kind: 'program_consent_reset',
          to: row.email,
          subject: `Your progress in ${program!.title} is now private`,
          text:
            `Hello ${row.name},\n\nUntil now, your coach could see how many steps of ${program!.title} you have completed, ` +
            `because sharing was switched on for everyone by default. That was our mistake: sharing should be your choice.\n\n` +
            `So we have switched it off. Your coach no longer sees your progress. Nothing you wrote was ever shown unless you shared it.\n\n` +
            `If you would like your coach to see your progress, you can turn sharing on at any time on your steps page:\n` +
            `${this.config.publicUrl}/program/steps\n\n— Mend`,
        });
      }
      if (claimed.length) this.logger.log({ count: claimed.length }, 'consent notices queued');
      return claimed.length;
    });
  }

  private async overviewOf(m: EntityManager, enrollment: Enrollment): Promise<MyProgramDto> {
    const views = await this.materialize(m, enrollment);
    const steps = await this.program.steps(m);
    const active = enrollment.status === 'active';
    return {
      enrollment: {
        id: enrollment.id,
        status: enrollment.status,
        shareProgress: enrollment.shareProgress,
        shareProgressChosen: enrollment.shareProgressChosenAt !== null,
      },
      progress: {
        completed: views.filter((v) => v.status === 'completed').length,
        total: STEP_COUNT,
      },
      steps: views.map((v) =>
        this.stepDto(
          active || v.status === 'completed' ? v : { ...v, status: 'locked' },
          steps[v.number - 1].title,
        ),
      ),
    };
  }

  /** The member's active enrollment and the step's views; 403 NOT_ENROLLED / STEP_LOCKED otherwise. */
  private async openStep(
    m: EntityManager,
    userId: string,
    n: number,
  ): Promise<{ enrollment: Enrollment; views: StepView[] }> {
    const enrollment = await m.findOne(Enrollment, { where: { userId, status: 'active' } });
    if (!enrollment) throw notEnrolled();
    const views = await this.materialize(m, enrollment);
    if (views[n - 1].status === 'locked') {
      throw new DomainError(
        'STEP_LOCKED',
        'This step is not open yet. It opens after the one before it is complete and its wait has passed.',
      );
    }
    return { enrollment, views };
  }

  private stepDto(v: StepView, title: string): MemberStepDto {
    return {
      number: v.number,
      title,
      status: v.status,
      availableAt: v.availableAt?.toISOString() ?? null,
      completedAt: v.completedAt?.toISOString() ?? null,
    };
  }

  private reflectionOut(r: Reflection): ReflectionOutDto {
    const text = this.encryption.decrypt(
      { keyId: r.keyId, nonce: r.nonce, ciphertext: r.ciphertext },
      reflectionContext(r.userId, r.step),
    );
    return { text, sharedWithCoach: r.sharedWithCoach, updatedAt: r.updatedAt.toISOString() };
  }
}

export const notEnrolled = (): DomainError =>
  new DomainError(
    'NOT_ENROLLED',
    'The 12 Steps are open to enrolled members. You can enroll on the program page.',
  );
