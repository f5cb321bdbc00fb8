import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { pgCode } from '../database/pg-code';
import { AccountsService } from '../accounts/accounts.service';
import { addressName } from '../accounts/person-name';
import { User } from '../accounts/user.entity';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { DomainError, notFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { MailService } from '../mail/mail.service';
import {
  PaidOutcome,
  PayableHandler,
  PAYMENTS,
  PaymentsPort,
  RefundSummary,
} from '../payments/payable';
import { CoachEnrollmentDto, EnrollmentCreatedDto, SharedReflectionDto } from './dto/program.dto';
import { Enrollment } from './enrollment.entity';
import { EnrollmentsRepository } from './enrollments.repository';
import { ProgramService } from './program.service';
import { reflectionContext } from './progress.service';
import { ReflectionsRepository } from './reflections.repository';
import { STEP_COUNT } from './unlocking';
import { isCoach } from '../accounts/coach';

/** How long a checkout holds an enrollment open (Stripe needs ≥ 30 minutes). */
const CHECKOUT_MINUTES = 35;

const alreadyEnrolled = (): DomainError =>
  new DomainError('ALREADY_ENROLLED', 'You are already enrolled in the program.');

/**
 * Enrollment: paid (through the payments module's checkout) or granted by the coach; activation,
 * refunds, and the coach's view of members (progress only where shared, reflections only shared).
 */
@Injectable()
export class EnrollmentsService implements OnModuleInit, PayableHandler {
  private readonly logger = new Logger(EnrollmentsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly enrollments: EnrollmentsRepository,
    private readonly reflections: ReflectionsRepository,
    private readonly program: ProgramService,
    private readonly accounts: AccountsService,
    private readonly encryption: EncryptionService,
    private readonly mail: MailService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(PAYMENTS) private readonly payments: PaymentsPort | null,
  ) {}

  onModuleInit(): void {
    this.payments?.registerHandler('enrollment', this);
  }

  /** Starts a paid enrollment: a pending row, then a checkout after it commits. */
  async enroll(user: User): Promise<EnrollmentCreatedDto> {
    if (!this.payments)
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Enrollment by payment is not available yet. Please try again later.',
      );
    if (isCoach(user))
      throw new DomainError('BAD_REQUEST', 'The coach can’t enroll in her own program.');
    const program = await this.program.settings();
    // A checkout needs an amount: with no price set, enrollment is the coach's grant, not a purchase.
    if (program.price <= 0) {
      throw new DomainError(
        'UNPROCESSABLE',
        'The program has no price at the moment, so it can’t be bought. Please ask the coach to enroll you.',
      );
    }
    let enrollment: Enrollment;
    try {
      enrollment = await this.dataSource.transaction(async (m) => {
        await this.enrollments.lockMember(m, user.id);
        if (await this.enrollments.findActiveForMember(user.id, m)) throw alreadyEnrolled();
        // A checkout left open earlier is replaced by this one (paying the old one still counts: see onPaid).
        await this.enrollments.expirePendingForMember(m, user.id, this.clock.now());
        return this.enrollments.createPending(m, user.id, 'payment');
      });
    } catch (e) {
      if (pgCode(e) === '23505') throw alreadyEnrolled();
      throw e;
    }
    try {
      const checkout = await this.payments.createCheckout({
        kind: 'enrollment',
        referenceId: enrollment.id,
        amount: program.price,
        currency: program.currency,
        description: program.title,
        customerEmail: user.email,
        expiresAt: new Date(this.clock.now().getTime() + CHECKOUT_MINUTES * 60_000),
        successPath: '/program/steps',
        cancelPath: '/program',
      });
      await this.enrollments.setPayment(enrollment.id, checkout.paymentId);
      return { id: enrollment.id, status: 'pending_payment', checkoutUrl: checkout.checkoutUrl };
    } catch (e) {
      await this.enrollments.expireIfPending(enrollment.id, this.clock.now());
      throw e;
    }
  }

  /** The coach enrolls someone without payment; a person new to Mend gets an account and a set-password link. */
  async grant(rawEmail: string): Promise<CoachEnrollmentDto> {
    await this.program.settings();
    const id = await this.dataSource
      .transaction(async (m) => {
        const email = rawEmail.trim().toLowerCase();
        const user = await this.accounts.findOrCreateClient(m, email, email.split('@')[0]);
        if (isCoach(user))
          throw new DomainError('BAD_REQUEST', 'The coach can’t be enrolled as a member.');
        await this.enrollments.lockMember(m, user.id);
        if (await this.enrollments.findActiveForMember(user.id, m)) throw alreadyEnrolled();
        await this.enrollments.expirePendingForMember(m, user.id, this.clock.now());
        const enrollment = await this.enrollments.createPending(m, user.id, 'grant');
        await this.activate(m, enrollment, user, null);
        if (!user.passwordHash) {
          await this.accounts.sendSetPasswordLink(
            m,
            user,
            'Your coach has enrolled you in The Humble Pie 12 Steps on Mend. To begin, choose a password for your account.',
          );
        }
        return enrollment.id;
      })
      .catch((e: unknown) => {
        if (pgCode(e) === '23505') throw alreadyEnrolled();
        throw e;
      });
    return (await this.coachList([id]))[0];
  }

  // ---- PayableHandler: each runs inside the payments transaction that records the Stripe event ----

  async onPaid(m: EntityManager, referenceId: string, paymentId: string): Promise<PaidOutcome> {
    const enrollment = await this.enrollments.findByIdForUpdate(m, referenceId);
    if (!enrollment) return 'refund';
    if (enrollment.status === 'active' || enrollment.status === 'refunded') return 'fulfilled';
    await this.enrollments.lockMember(m, enrollment.userId);
    if (await this.enrollments.findActiveForMember(enrollment.userId, m)) {
      // Already a member (e.g. two checkouts paid): don't charge twice; payments refunds it in full.
      await this.enrollments.expireWithPayment(m, enrollment.id, paymentId, this.clock.now());
      const user = await this.member(m, enrollment.userId);
      const program = await this.program.settings(m);
      await this.mail.enqueue(m, {
        kind: 'program_duplicate_refund',
        to: user.email,
        subject: `Your second payment for ${program.title} is being refunded`,
        text:
          `Hello ${addressName(user)},\n\nYou are already enrolled in ${program.title}, so we are refunding the payment you just made, in full. ` +
          `Depending on your bank it can take a few days to appear.\n\nYour steps are here, as before:\n${this.config.publicUrl}/program/steps\n\n— Mend`,
      });
      return 'refund';
    }
    // A paid checkout is honoured even if a newer one replaced it; the newer one is closed.
    await this.enrollments.expirePendingForMember(m, enrollment.userId, this.clock.now());
    const user = await this.member(m, enrollment.userId);
    await this.activate(m, enrollment, user, paymentId);
    return 'fulfilled';
  }

  async onPaymentFailed(m: EntityManager, referenceId: string, _paymentId: string): Promise<void> {
    void _paymentId;
    await this.enrollments.expireIfPending(referenceId, this.clock.now(), m);
  }

  async onRefunded(m: EntityManager, referenceId: string, _paymentId: string): Promise<void> {
    void _paymentId;
    // Access to the steps ends; the member's reflections stay theirs.
    await this.enrollments.markRefunded(
      m,
      referenceId,
      ['active', 'pending_payment', 'expired'],
      this.clock.now(),
    );
  }

  // ---- coach ----

  /**
   * The coach refunds a paid enrollment: access ends now, the payment is refunded in full through
   * the payments module (its refund event later changes nothing twice). The reflections stay the member's.
   */
  async refund(
    enrollmentId: string,
  ): Promise<{ id: string; status: string; refund: RefundSummary }> {
    const payments = this.payments;
    if (!payments)
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Refunds are not available yet. Please try again later.',
      );
    await this.findEnrollment(enrollmentId);
    return this.dataSource.transaction(async (m) => {
      const enrollment = await this.enrollments.findByIdForUpdate(m, enrollmentId);
      if (!enrollment) throw notFound('Enrollment');
      if (enrollment.source !== 'payment')
        throw new DomainError(
          'CONFLICT',
          'This enrollment was granted without payment, so there is nothing to refund.',
        );
      if (enrollment.status !== 'active' && enrollment.status !== 'refunded')
        throw new DomainError('CONFLICT', 'Only an active enrollment can be refunded.');
      const refund = await payments.requestRefund(
        m,
        'enrollment',
        enrollment.id,
        'Refunded by the coach',
      );
      await this.enrollments.markRefunded(m, enrollment.id, ['active'], this.clock.now());
      return { id: enrollment.id, status: 'refunded', refund };
    });
  }

  /** Members (not abandoned checkouts), with progress only where the member shares it. */
  async coachList(ids?: string[]): Promise<CoachEnrollmentDto[]> {
    return this.coachEntries({ ids });
  }

  /** One member's entry in the coach's list (their current or latest enrollment), or null. */
  async coachEntryForMember(userId: string): Promise<CoachEnrollmentDto | null> {
    return (await this.coachEntries({ userId }))[0] ?? null;
  }

  private async coachEntries(filter: {
    ids?: string[];
    userId?: string;
  }): Promise<CoachEnrollmentDto[]> {
    const rows = await this.enrollments.summaries(filter);
    const people = await this.accounts.findByIds(rows.map((r) => r.userId));
    return rows.flatMap((r) => {
      const u = people.get(r.userId);
      if (!u) return [];
      return [
        {
          id: r.id,
          member: {
            id: u.id,
            name: u.name,
            email: u.email,
            pronouns: u.pronouns,
            displayName: addressName(u),
          },
          status: r.status,
          source: r.source,
          shareProgress: r.shareProgress,
          activatedAt: r.activatedAt?.toISOString() ?? null,
          progress: r.shareProgress ? { completed: r.completed, total: STEP_COUNT } : null,
          sharedReflections: r.sharedReflections,
        },
      ];
    });
  }

  /** Only the reflections the member chose to share; every read is written to the audit trail first. */
  async sharedReflections(enrollmentId: string, ctx: AuditContext): Promise<SharedReflectionDto[]> {
    const enrollment = await this.findEnrollment(enrollmentId);
    await this.audit.sharedReflectionsRead(ctx, enrollment.id, enrollment.userId);
    const rows = await this.reflections.findSharedByMember(enrollment.userId);
    return rows.map((r) => ({
      step: r.step,
      text: this.encryption.decrypt(
        { keyId: r.keyId, nonce: r.nonce, ciphertext: r.ciphertext },
        reflectionContext(r.userId, r.step),
      ),
      updatedAt: r.updatedAt.toISOString(),
    }));
  }

  /** The coach opens one step for one member, now (an opening already recorded stays as it was). */
  async unlock(enrollmentId: string, step: number): Promise<{ step: number; openedAt: string }> {
    const enrollment = await this.findEnrollment(enrollmentId);
    if (enrollment.status !== 'active')
      throw new DomainError('CONFLICT', 'Only an active enrollment can have steps opened.');
    await this.enrollments.recordOpening(enrollment.id, step, this.clock.now(), 'coach');
    const row = await this.enrollments.findStep(enrollment.id, step);
    if (!row) throw notFound('Step');
    return { step, openedAt: row.openedAt.toISOString() };
  }

  private async findEnrollment(id: string): Promise<Enrollment> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('Enrollment');
    const enrollment = await this.enrollments.findById(id);
    if (!enrollment) throw notFound('Enrollment');
    return enrollment;
  }

  /** The member behind an enrollment (the foreign key keeps them while it exists). */
  private async member(m: EntityManager, userId: string): Promise<User> {
    const user = await this.accounts.findById(userId, m);
    if (!user) throw notFound('Member');
    return user;
  }

  /** Active from now: step 1 opens, and a welcome mail is queued in the same transaction. */
  private async activate(
    m: EntityManager,
    enrollment: Enrollment,
    user: User,
    paymentId: string | null,
  ): Promise<void> {
    const now = this.clock.now();
    await this.enrollments.markActive(m, enrollment.id, now, paymentId ?? enrollment.paymentId);
    await this.enrollments.recordOpening(enrollment.id, 1, now, 'activation', m);
    const program = await this.program.settings(m);
    await this.mail.enqueue(m, {
      kind: 'program_welcome',
      to: user.email,
      subject: `Welcome to ${program.title}`,
      text:
        `Hello ${addressName(user)},\n\nWelcome to ${program.title}. Step 1 is open for you now:\n${this.config.publicUrl}/program/steps/1\n\n` +
        `Go at your own pace. Each new step opens after you complete the one before it` +
        (program.dripDays > 0
          ? ` and ${program.dripDays} day${program.dripDays === 1 ? '' : 's'} have passed since it opened`
          : '') +
        `.\n\nWhat you write is private and encrypted. Your coach sees a reflection only if you choose to share it, ` +
        `and your progress only if you turn sharing on (it is off until you do; you can change it any time on your steps page).\n\n— Mend`,
    });
    this.logger.log({ enrollmentId: enrollment.id }, 'enrollment active');
  }
}
