import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../accounts/user.entity';

export type EnrollmentStatus = 'pending_payment' | 'active' | 'expired' | 'refunded';
export type EnrollmentSource = 'payment' | 'grant';

/**
 * A member's enrollment in the program. At most one active and one pending per member (unique
 * partial indexes). `refunded` ends access to step content; reflections stay the member's.
 */
@Entity('enrollments')
@Index('UQ_enrollments_active_user', ['userId'], { unique: true, where: `"status" = 'active'` })
@Index('UQ_enrollments_pending_user', ['userId'], {
  unique: true,
  where: `"status" = 'pending_payment'`,
})
@Index('IDX_enrollments_user', ['userId'])
@Check('CHK_enrollments_status', `"status" IN ('pending_payment', 'active', 'expired', 'refunded')`)
@Check('CHK_enrollments_source', `"source" IN ('payment', 'grant')`)
export class Enrollment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text' })
  status: EnrollmentStatus;

  @Column({ type: 'text' })
  source: EnrollmentSource;

  /** Consent, asked and never assumed: off until the member turns it on. */
  @Column({ name: 'share_progress', type: 'boolean', default: false })
  shareProgress: boolean;

  /** When the member last chose (either way); null = never chose. */
  @Column({ name: 'share_progress_chosen_at', type: 'timestamptz', nullable: true })
  shareProgressChosenAt: Date | null;

  /**
   * Set by the ConsentOptIn migration on enrollments whose sharing was on only by the old default:
   * it was turned off, and the member is told once (consent_notice_sent_at) that they can turn it on.
   */
  @Column({ name: 'consent_reset_at', type: 'timestamptz', nullable: true })
  consentResetAt: Date | null;

  @Column({ name: 'consent_notice_sent_at', type: 'timestamptz', nullable: true })
  consentNoticeSentAt: Date | null;

  @Column({ name: 'payment_id', type: 'text', nullable: true })
  paymentId: string | null;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export type OpenedVia = 'activation' | 'completion' | 'drip' | 'coach';

/** A step as one member has it: recorded the first time it is seen open; completion. */
@Entity('enrollment_steps')
@Check('CHK_enrollment_steps_step', `"step" BETWEEN 1 AND 12`)
@Check('CHK_enrollment_steps_via', `"opened_via" IN ('activation', 'completion', 'drip', 'coach')`)
export class EnrollmentStep {
  @PrimaryColumn({ name: 'enrollment_id', type: 'uuid' })
  enrollmentId: string;

  @PrimaryColumn({ type: 'smallint' })
  step: number;

  @ManyToOne(() => Enrollment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enrollment_id' })
  enrollment?: Enrollment;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'opened_via', type: 'text' })
  openedVia: OpenedVia;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Set when the "a new step is open" mail was queued (claimed with UPDATE … RETURNING). */
  @Column({ name: 'opened_mail_at', type: 'timestamptz', nullable: true })
  openedMailAt: Date | null;
}
