import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  Enrollment,
  EnrollmentSource,
  EnrollmentStatus,
  EnrollmentStep,
  OpenedVia,
} from './enrollment.entity';

/** An enrollment as the coach's members list shows it (counts computed in the query). */
export interface EnrollmentSummaryRow {
  id: string;
  userId: string;
  status: string;
  source: string;
  shareProgress: boolean;
  activatedAt: Date | null;
  completed: number;
  sharedReflections: number;
}

/** One step opening claimed for its "a new step is open" mail. */
export interface ClaimedOpening {
  userId: string;
  step: number;
}

/** A member's enrollment with its recorded steps and the program's drip wait, read together. */
export interface MemberProgress {
  enrollment: Enrollment;
  steps: EnrollmentStep[];
  /** null when the program row is missing. */
  dripDays: number | null;
}

/** UPDATE … RETURNING answers [rows, count] through TypeORM's query(); plain rows elsewhere. */
const returned = <T>(r: [T[], number] | T[]): T[] => (Array.isArray(r[0]) ? r[0] : r) as T[];

/**
 * The program's `enrollments` and `enrollment_steps` tables: who is enrolled, how, and which
 * steps each member has opened and completed. Methods take the caller's transaction manager when
 * they run inside one; the rules (who may enroll, when a step opens) are in the services.
 */
@Injectable()
export class EnrollmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, m: EntityManager = this.dataSource.manager): Promise<Enrollment | null> {
    return m.findOne(Enrollment, { where: { id } });
  }

  /** The enrollment, locked FOR UPDATE until the caller's transaction ends. */
  findByIdForUpdate(m: EntityManager, id: string): Promise<Enrollment | null> {
    return m.findOne(Enrollment, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findActiveById(m: EntityManager, id: string): Promise<Enrollment | null> {
    return m.findOne(Enrollment, { where: { id, status: 'active' } });
  }

  findActiveForMember(
    userId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<Enrollment | null> {
    return m.findOne(Enrollment, { where: { userId, status: 'active' } });
  }

  /** The member's active enrollment, else their latest refunded one (one query). */
  findCurrentForMember(
    userId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<Enrollment | null> {
    return m
      .createQueryBuilder(Enrollment, 'e')
      .where('e.user_id = :userId', { userId })
      .andWhere(`e.status IN ('active', 'refunded')`)
      .orderBy(`CASE WHEN e.status = 'active' THEN 0 ELSE 1 END`)
      .addOrderBy('e.created_at', 'DESC')
      .getOne();
  }

  /**
   * The member's active enrollment (else, unless `activeOnly`, their latest refunded one), its
   * recorded steps and the program's drip wait, in one query (every page view of the steps runs it).
   */
  async findProgressForMember(
    userId: string,
    activeOnly: boolean,
    m: EntityManager = this.dataSource.manager,
  ): Promise<MemberProgress | null> {
    const rows: {
      id: string;
      user_id: string;
      status: EnrollmentStatus;
      source: EnrollmentSource;
      share_progress: boolean;
      share_progress_chosen_at: Date | null;
      consent_reset_at: Date | null;
      consent_notice_sent_at: Date | null;
      payment_id: string | null;
      activated_at: Date | null;
      ended_at: Date | null;
      created_at: Date;
      updated_at: Date;
      drip_days: number | null;
      step: number | null;
      opened_at: Date | null;
      opened_via: OpenedVia | null;
      completed_at: Date | null;
      opened_mail_at: Date | null;
    }[] = await m.query(
      `SELECT e.*, p.drip_days, s.step, s.opened_at, s.opened_via, s.completed_at, s.opened_mail_at
       FROM (SELECT * FROM enrollments
             WHERE user_id = $1 AND (status = 'active' OR (NOT $2 AND status = 'refunded'))
             ORDER BY (status = 'active') DESC, created_at DESC LIMIT 1) e
       LEFT JOIN program p ON p.id = 1
       LEFT JOIN enrollment_steps s ON s.enrollment_id = e.id
       ORDER BY s.step`,
      [userId, activeOnly],
    );
    if (!rows.length) return null;
    const r = rows[0];
    const enrollment = Object.assign(new Enrollment(), {
      id: r.id,
      userId: r.user_id,
      status: r.status,
      source: r.source,
      shareProgress: r.share_progress,
      shareProgressChosenAt: r.share_progress_chosen_at,
      consentResetAt: r.consent_reset_at,
      consentNoticeSentAt: r.consent_notice_sent_at,
      paymentId: r.payment_id,
      activatedAt: r.activated_at,
      endedAt: r.ended_at,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    });
    const steps = rows
      .filter((x) => x.step !== null)
      .map((x) =>
        Object.assign(new EnrollmentStep(), {
          enrollmentId: r.id,
          step: x.step,
          openedAt: x.opened_at,
          openedVia: x.opened_via,
          completedAt: x.completed_at,
          openedMailAt: x.opened_mail_at,
        }),
      );
    return { enrollment, steps, dripDays: r.drip_days };
  }

  hasPendingForMember(userId: string): Promise<boolean> {
    return this.dataSource.manager.exists(Enrollment, {
      where: { userId, status: 'pending_payment' },
    });
  }

  /** Serialises enrollment changes for one member until the caller's transaction ends. */
  async lockMember(m: EntityManager, userId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('enrollment:' || $1))`, [userId]);
  }

  createPending(m: EntityManager, userId: string, source: EnrollmentSource): Promise<Enrollment> {
    // Progress sharing is asked, never assumed: off until the member turns it on.
    return m.save(
      m.create(Enrollment, { userId, status: 'pending_payment', source, shareProgress: false }),
    );
  }

  async setPayment(id: string, paymentId: string): Promise<void> {
    await this.dataSource.manager.update(Enrollment, { id }, { paymentId });
  }

  /** Closes the member's open checkouts (pending enrollments). */
  async expirePendingForMember(m: EntityManager, userId: string, endedAt: Date): Promise<void> {
    await m.update(
      Enrollment,
      { userId, status: 'pending_payment' },
      { status: 'expired', endedAt },
    );
  }

  /** Closes this enrollment if it is still waiting for its payment. */
  async expireIfPending(
    id: string,
    endedAt: Date,
    m: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await m.update(Enrollment, { id, status: 'pending_payment' }, { status: 'expired', endedAt });
  }

  /** Closes this enrollment as paid twice (its payment is being refunded). */
  async expireWithPayment(
    m: EntityManager,
    id: string,
    paymentId: string,
    endedAt: Date,
  ): Promise<void> {
    await m.update(Enrollment, { id }, { status: 'expired', paymentId, endedAt });
  }

  /** Marks the enrollment refunded if it is in one of `from`; others are left as they are. */
  async markRefunded(
    m: EntityManager,
    id: string,
    from: EnrollmentStatus[],
    endedAt: Date,
  ): Promise<void> {
    await m.update(Enrollment, { id, status: In(from) }, { status: 'refunded', endedAt });
  }

  async markActive(
    m: EntityManager,
    id: string,
    activatedAt: Date,
    paymentId: string | null,
  ): Promise<void> {
    await m.update(Enrollment, { id }, { status: 'active', activatedAt, paymentId, endedAt: null });
  }

  async setShareProgress(
    m: EntityManager,
    id: string,
    shareProgress: boolean,
    chosenAt: Date,
  ): Promise<void> {
    await m.update(Enrollment, { id }, { shareProgress, shareProgressChosenAt: chosenAt });
  }

  /** The steps this enrollment has opened (and maybe completed). */
  stepsOf(m: EntityManager, enrollmentId: string): Promise<EnrollmentStep[]> {
    return m.find(EnrollmentStep, { where: { enrollmentId } });
  }

  findStep(enrollmentId: string, step: number): Promise<EnrollmentStep | null> {
    return this.dataSource.manager.findOne(EnrollmentStep, { where: { enrollmentId, step } });
  }

  /** Records that a step opened; an opening already recorded stays as it was. */
  async recordOpening(
    enrollmentId: string,
    step: number,
    openedAt: Date,
    via: OpenedVia,
    m: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await m.query(
      `INSERT INTO enrollment_steps (enrollment_id, step, opened_at, opened_via) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [enrollmentId, step, openedAt, via],
    );
  }

  /** Marks an opened step complete (the first completion stays). */
  async markStepComplete(
    m: EntityManager,
    enrollmentId: string,
    step: number,
    at: Date,
  ): Promise<void> {
    await m.query(
      `UPDATE enrollment_steps SET completed_at = $3 WHERE enrollment_id = $1 AND step = $2 AND completed_at IS NULL`,
      [enrollmentId, step, at],
    );
  }

  /** Active enrollments whose last completed step has a next step not recorded yet. */
  async idsWithNextStepUnrecorded(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT e.id FROM enrollments e JOIN enrollment_steps s ON s.enrollment_id = e.id
       WHERE e.status = 'active' AND s.completed_at IS NOT NULL AND s.step < 12
         AND NOT EXISTS (SELECT 1 FROM enrollment_steps n WHERE n.enrollment_id = e.id AND n.step = s.step + 1)`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims (marks mailed) every step that opened by drip by `now` in an active enrollment, not
   * completed and not yet mailed: each is returned once, whoever claims it first.
   */
  async claimDripOpenings(m: EntityManager, now: Date): Promise<ClaimedOpening[]> {
    const rows = returned<{ user_id: string; step: number }>(
      await m.query(
        `UPDATE enrollment_steps s SET opened_mail_at = $1
         FROM enrollments e
         WHERE e.id = s.enrollment_id AND e.status = 'active' AND s.opened_via = 'drip'
           AND s.opened_mail_at IS NULL AND s.completed_at IS NULL AND s.opened_at <= $1
         RETURNING e.user_id, s.step`,
        [now],
      ),
    );
    return rows.map((r) => ({ userId: r.user_id, step: r.step }));
  }

  /**
   * Claims the consent notices still owed (sharing turned off by the ConsentOptIn migration, the
   * member not having chosen since): the members' ids, each returned once.
   */
  async claimConsentNotices(m: EntityManager, now: Date): Promise<string[]> {
    const rows = returned<{ user_id: string }>(
      await m.query(
        `UPDATE enrollments e SET consent_notice_sent_at = $1
         WHERE e.consent_reset_at IS NOT NULL AND e.consent_notice_sent_at IS NULL
           AND e.share_progress_chosen_at IS NULL AND e.status IN ('active', 'refunded')
         RETURNING e.user_id`,
        [now],
      ),
    );
    return rows.map((r) => r.user_id);
  }

  /**
   * Members (active or refunded enrollments, not abandoned checkouts), newest first, each with
   * their completed steps and shared reflections counted; only `ids`, or one member's, when given.
   */
  async summaries(
    filter: { ids?: string[]; userId?: string } = {},
  ): Promise<EnrollmentSummaryRow[]> {
    const rows: {
      id: string;
      user_id: string;
      status: string;
      source: string;
      share_progress: boolean;
      activated_at: Date | null;
      completed: number;
      shared: number;
    }[] = await this.dataSource.query(
      `SELECT e.id, e.user_id, e.status, e.source, e.share_progress, e.activated_at,
              (SELECT count(*)::int FROM enrollment_steps s WHERE s.enrollment_id = e.id AND s.completed_at IS NOT NULL) AS completed,
              (SELECT count(*)::int FROM reflections r WHERE r.user_id = e.user_id AND r.shared_with_coach) AS shared
       FROM enrollments e
       WHERE e.status IN ('active', 'refunded') AND ($1::uuid[] IS NULL OR e.id = ANY($1::uuid[]))
         AND ($2::uuid IS NULL OR e.user_id = $2::uuid)
       ORDER BY e.activated_at DESC NULLS LAST, e.created_at DESC`,
      [filter.ids ?? null, filter.userId ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      status: r.status,
      source: r.source,
      shareProgress: r.share_progress,
      activatedAt: r.activated_at,
      completed: r.completed,
      sharedReflections: r.shared,
    }));
  }

  /** A person's active and refunded enrollments, oldest first, with their steps (for their export). */
  async exportFor(
    m: EntityManager,
    userId: string,
  ): Promise<{ enrollment: Enrollment; steps: EnrollmentStep[] }[]> {
    const enrollments = await m.find(Enrollment, {
      where: { userId, status: In(['active', 'refunded']) },
      order: { createdAt: 'ASC' },
    });
    const steps = enrollments.length
      ? await m.find(EnrollmentStep, {
          where: { enrollmentId: In(enrollments.map((e) => e.id)) },
          order: { step: 'ASC' },
        })
      : [];
    return enrollments.map((enrollment) => ({
      enrollment,
      steps: steps.filter((s) => s.enrollmentId === enrollment.id),
    }));
  }

  /** Deletes every enrollment of the person (their steps cascade). */
  async deleteForMember(m: EntityManager, userId: string): Promise<void> {
    await m.delete(Enrollment, { userId });
  }
}
