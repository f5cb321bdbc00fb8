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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
