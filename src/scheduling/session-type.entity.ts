import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../accounts/user.entity';

export type MeetingKind = 'generated_video' | 'fixed_link' | 'phone' | 'in_person' | 'none';
export type IntakeKind = 'short_text' | 'long_text' | 'choice' | 'checkbox';

export interface IntakeQuestion {
  /** A slug, unique within the session type; the key of the answer. */
  id: string;
  label: string;
  kind: IntakeKind;
  /** The choices of a `choice` question. */
  options?: string[];
  required: boolean;
}

/** A kind of session clients can book (a free discovery call, a paid coaching session…). */
@Entity('session_types')
@Index('UQ_session_types_slug', ['slug'], { unique: true })
@Check('CHK_session_types_duration', 'duration_minutes BETWEEN 5 AND 480')
@Check(
  'CHK_session_types_interval',
  'slot_interval_minutes IS NULL OR slot_interval_minutes BETWEEN 5 AND 480',
)
@Check(
  'CHK_session_types_buffers',
  'buffer_before_minutes BETWEEN 0 AND 240 AND buffer_after_minutes BETWEEN 0 AND 240',
)
@Check('CHK_session_types_notice', 'minimum_notice_minutes BETWEEN 0 AND 43200')
@Check('CHK_session_types_window', 'booking_window_days BETWEEN 1 AND 730')
@Check('CHK_session_types_price', 'price >= 0')
@Check(
  'CHK_session_types_meeting_kind',
  `meeting_kind IN ('generated_video', 'fixed_link', 'phone', 'in_person', 'none')`,
)
export class SessionType {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'coach_id', type: 'uuid' })
  coachId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coach_id' })
  coach?: User;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'duration_minutes', type: 'integer' })
  durationMinutes: number;

  @Column({ type: 'integer', default: 0 })
  price: number;

  @Column({ type: 'text', default: 'usd' })
  currency: string;

  @Column({ name: 'buffer_before_minutes', type: 'integer', default: 0 })
  bufferBeforeMinutes: number;

  @Column({ name: 'buffer_after_minutes', type: 'integer', default: 0 })
  bufferAfterMinutes: number;

  @Column({ name: 'minimum_notice_minutes', type: 'integer', default: 0 })
  minimumNoticeMinutes: number;

  @Column({ name: 'booking_window_days', type: 'integer', default: 60 })
  bookingWindowDays: number;

  @Column({ name: 'slot_interval_minutes', type: 'integer', nullable: true })
  slotIntervalMinutes: number | null;

  @Column({ type: 'text', default: '' })
  location: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Where the session happens; shown only to the booked client and the coach. */
  @Column({ name: 'meeting_kind', type: 'text', default: 'none' })
  meetingKind: MeetingKind;

  /** The fixed link, the phone number or the address (null for generated rooms and none). */
  @Column({ name: 'meeting_value', type: 'text', nullable: true })
  meetingValue: string | null;

  /** Questions asked at booking (at most 10). */
  @Column({ name: 'intake_questions', type: 'jsonb', default: () => `'[]'` })
  intakeQuestions: IntakeQuestion[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
