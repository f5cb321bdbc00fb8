import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { addressName } from '../accounts/person-name';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { DomainError, notFound } from '../common/errors';
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
import { EnrollmentsRepository, MemberProgress } from './enrollments.repository';
import { ProgramService } from './program.service';
import { Reflection } from './reflection.entity';
import { ReflectionsRepository } from './reflections.repository';
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
    private readonly enrollments: EnrollmentsRepository,
    private readonly reflections: ReflectionsRepository,
    private readonly accounts: AccountsService,
    private readonly program: ProgramService,
    private readonly encryption: EncryptionService,
    private readonly mail: MailService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.encryption.assertKeysConfigured(await this.reflections.keyIdsInUse(), 'reflections');
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
    const drip = dripDays ?? (await this.program.settings(m)).dripDays;
    const steps = await this.enrollments.stepsOf(m, enrollment.id);
    const { views, openings } = this.plan({ enrollment, steps, dripDays: drip });
    for (const o of openings)
      await this.enrollments.recordOpening(enrollment.id, o.step, o.at, o.via, m);
    return views;
  }

  /**
   * Every step's status for an enrollment (the unlocking rule), and the openings it shows that
   * are not recorded yet (to record only while the enrollment is active).
   */
  private plan(progress: { enrollment: Enrollment; steps: EnrollmentStep[]; dripDays: number }): {
    views: StepView[];
    openings: { step: number; at: Date; via: OpenedVia }[];
  } {
    const { enrollment, steps: rows } = progress;
    const recorded = Array.from({ length: STEP_COUNT }, (_, i) => {
      const r = rows.find((x) => x.step === i + 1);
      return { openedAt: r?.openedAt ?? null, completedAt: r?.completedAt ?? null };
    });
    const views = stepStatuses({
      activatedAt: enrollment.activatedAt ?? enrollment.createdAt,
      dripDays: progress.dripDays,
      steps: recorded,
      now: this.clock.now(),
    });
    const openings: { step: number; at: Date; via: OpenedVia }[] = [];
    if (enrollment.status !== 'active') return { views, openings };
    for (const v of views) {
      if (v.status === 'locked' || recorded[v.number - 1].openedAt || !v.availableAt) continue;
      const prev = views[v.number - 2];
      const via: OpenedVia =
        v.number === 1
          ? 'activation'
          : prev?.completedAt && v.availableAt.getTime() > prev.completedAt.getTime()
            ? 'drip'
            : 'completion';
      openings.push({ step: v.number, at: v.availableAt, via });
    }
    return { views, openings };
  }

  /**
   * The member's enrollment (active, else — unless `activeOnly` — their latest refunded one) with
   * its steps' statuses, recording the openings not recorded yet. One read; the writes (in `m`'s
   * transaction, else in one of their own) only when a step has newly opened.
   */
  private async progressOf(
    userId: string,
    activeOnly: boolean,
    m?: EntityManager,
  ): Promise<{ enrollment: Enrollment; views: StepView[] } | null> {
    const found: MemberProgress | null = await this.enrollments.findProgressForMember(
      userId,
      activeOnly,
      m,
    );
    if (!found) return null;
    if (found.dripDays === null) throw notFound('The program');
    const { enrollment } = found;
    const { views, openings } = this.plan({ ...found, dripDays: found.dripDays });
    if (openings.length) {
      const record = async (tx: EntityManager): Promise<void> => {
        for (const o of openings)
          await this.enrollments.recordOpening(enrollment.id, o.step, o.at, o.via, tx);
      };
      await (m ? record(m) : this.dataSource.transaction(record));
    }
    return { enrollment, views };
  }

  /** The member's active enrollment, or their latest one; null when they never enrolled. */
  async currentEnrollment(m: EntityManager, userId: string): Promise<Enrollment | null> {
    return this.enrollments.findCurrentForMember(userId, m);
  }

  /** Whether the member has a checkout open (paid enrollment waiting for the payment to be confirmed). */
  async hasPendingEnrollment(userId: string): Promise<boolean> {
    return this.enrollments.hasPendingForMember(userId);
  }

  /** The member's overview: read in one query (no transaction unless a step has newly opened). */
  async overview(userId: string): Promise<MyProgramDto> {
    const progress = await this.progressOf(userId, false);
    if (!progress) throw notEnrolled();
    return this.overviewDto(progress.enrollment, progress.views);
  }

  async stepDetail(userId: string, n: number): Promise<MemberStepDetailDto> {
    const { view, content, reflection } = await this.dataSource.transaction(async (m) => {
      const { views } = await this.openStep(m, userId, n);
      const row = await this.reflections.findForMemberStep(userId, n, m);
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
      return this.reflections.saveText(m, userId, n, sealed, shared);
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
      const existing = await this.reflections.findForMemberStepForUpdate(m, userId, n);
      if (!existing)
        throw new DomainError(
          'NOT_FOUND',
          'There is no saved reflection on this step yet. Save it first.',
        );
      return this.reflections.setShared(m, existing.id, shared);
    });
    return this.reflectionOut(row);
  }

  async complete(userId: string, n: number): Promise<MyProgramDto> {
    return this.dataSource.transaction(async (m) => {
      const { enrollment } = await this.openStep(m, userId, n);
      await this.enrollments.markStepComplete(m, enrollment.id, n, this.clock.now());
      return this.overviewOf(m, enrollment);
    });
  }

  async setShareProgress(userId: string, shareProgress: boolean): Promise<MyProgramDto> {
    return this.dataSource.transaction(async (m) => {
      const enrollment = await this.currentEnrollment(m, userId);
      if (!enrollment) throw notEnrolled();
      const chosenAt = this.clock.now();
      await this.enrollments.setShareProgress(m, enrollment.id, shareProgress, chosenAt);
      enrollment.shareProgress = shareProgress;
      enrollment.shareProgressChosenAt = chosenAt;
      return this.overviewOf(m, enrollment);
    });
  }

  /** The member's own reflections, decrypted (for their data export; kept after a refund). */
  async reflectionsOf(
    userId: string,
  ): Promise<{ step: number; text: string; sharedWithCoach: boolean; updatedAt: string }[]> {
    const rows = await this.reflections.findForMember(userId);
    return rows.map((r) => ({ step: r.step, ...this.reflectionOut(r) }));
  }

  /**
   * After a key rotation: re-encrypts reflections written under an old key (ENCRYPTION_KEY_PREVIOUS)
   * under ENCRYPTION_KEY, in batches (rows locked with SKIP LOCKED, so instances share the work).
   * Once it reports 0 the old key can be removed from the configuration.
   */
  async reencryptReflections(batch = 200): Promise<number> {
    const total = await this.encryption.reencrypt(
      this.reflections,
      (r) => reflectionContext(r.userId, r.step),
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
    const candidates = await this.enrollments.idsWithNextStepUnrecorded();
    const program = await this.program.settings();
    for (const id of candidates) {
      await this.dataSource.transaction(async (m) => {
        const enrollment = await this.enrollments.findActiveById(m, id);
        if (enrollment) await this.materialize(m, enrollment, program.dripDays);
      });
    }
    return this.dataSource.transaction(async (m) => {
      const claimed = await this.enrollments.claimDripOpenings(m, this.clock.now());
      const people = await this.accounts.findByIds(
        claimed.map((c) => c.userId),
        m,
      );
      for (const row of claimed) {
        const person = people.get(row.userId);
        if (!person) continue;
        const content = await this.program.step(row.step, m);
        await this.mail.enqueue(m, {
          kind: 'program_step_opened',
          to: person.email,
          subject: `Step ${row.step} of ${program.title} is open`,
          text:
            `Hello ${addressName(person)},\n\nStep ${row.step}, “${content.title}”, is open for you now.\n\n` +
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
      const userIds = await this.enrollments.claimConsentNotices(m, this.clock.now());
      const people = await this.accounts.findByIds(userIds, m);
      const claimed = userIds.flatMap((id) => {
        const person = people.get(id);
        return person ? [{ email: person.email, name: addressName(person) }] : [];
      });
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
    return this.overviewDto(enrollment, await this.materialize(m, enrollment), m);
  }

  private async overviewDto(
    enrollment: Enrollment,
    views: StepView[],
    m?: EntityManager,
  ): Promise<MyProgramDto> {
    const titles = await this.program.stepTitles(m);
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
          titles[v.number - 1],
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
    const progress = await this.progressOf(userId, true, m);
    if (!progress) throw notEnrolled();
    const { enrollment, views } = progress;
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
