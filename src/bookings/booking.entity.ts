import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Exclusion,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../accounts/user.entity';
import { SessionType } from '../scheduling/session-type.entity';

export type BookingStatus = 'pending_payment' | 'confirmed' | 'cancelled' | 'expired';

/**
 * A booked session. The exclusion constraint makes overlapping busy ranges of active bookings
 * (confirmed or held) impossible per coach, under any concurrency and across instances.
 */
@Entity('bookings')
@Exclusion(
  'EX_bookings_no_overlap',
  `USING gist (coach_id WITH =, tstzrange(busy_start, busy_end, '[)') WITH &&) WHERE (status IN ('confirmed', 'pending_payment'))`,
)
@Check('CHK_bookings_status', `status IN ('pending_payment', 'confirmed', 'cancelled', 'expired')`)
@Check('CHK_bookings_range', 'end_at > start_at AND busy_start <= start_at AND busy_end >= end_at')
@Index('IDX_bookings_coach_busy', ['coachId', 'busyStart'])
@Index('IDX_bookings_client', ['clientId', 'startAt'])
@Index('UQ_bookings_manage_token', ['manageTokenHash'], { unique: true })
@Index('IDX_bookings_reminder', ['startAt'], {
  where: `status = 'confirmed' AND reminder_sent_at IS NULL`,
})
@Index('IDX_bookings_holds', ['holdExpiresAt'], { where: `status = 'pending_payment'` })
export class Booking {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'coach_id', type: 'uuid' })
  coachId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coach_id' })
  coach?: User;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: User;

  @Column({ name: 'session_type_id', type: 'uuid' })
  sessionTypeId: string;

  @ManyToOne(() => SessionType, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_type_id' })
  sessionType?: SessionType;

  @Column({ type: 'text' })
  status: BookingStatus;

  @Column({ name: 'start_at', type: 'timestamptz' })
  startAt: Date;

  @Column({ name: 'end_at', type: 'timestamptz' })
  endAt: Date;

  @Column({ name: 'busy_start', type: 'timestamptz' })
  busyStart: Date;

  @Column({ name: 'busy_end', type: 'timestamptz' })
  busyEnd: Date;

  @Column({ name: 'hold_expires_at', type: 'timestamptz', nullable: true })
  holdExpiresAt: Date | null;

  /** Name and email as given when booking (the client record may change later). */
  @Column({ name: 'client_name', type: 'text' })
  clientName: string;

  @Column({ name: 'client_email', type: 'text' })
  clientEmail: string;

  @Column({ name: 'client_time_zone', type: 'text' })
  clientTimeZone: string;

  @Column({ type: 'integer' })
  price: number;

  @Column({ type: 'text' })
  currency: string;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'jsonb', nullable: true })
  intake: Record<string, string> | null;

  /** The booking's own video room (session types with a generated room); never public. */
  @Column({ name: 'meeting_url', type: 'text', nullable: true })
  meetingUrl: string | null;

  @Column({ name: 'manage_token_hash', type: 'text' })
  manageTokenHash: string;

  /** The iCalendar SEQUENCE: rises on every change of time or status. */
  @Column({ type: 'integer', default: 0 })
  sequence: number;

  @Column({ name: 'reminder_sent_at', type: 'timestamptz', nullable: true })
  reminderSentAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
