import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../accounts/user.entity';
import { DateOverride, WeeklyHours } from './slots';

/** One row per coach: her zone, weekly hours, date overrides, policies and calendar feed token. */
@Entity('coach_settings')
@Check(
  'CHK_coach_settings_notice',
  'cancellation_notice_hours >= 0 AND cancellation_notice_hours <= 720',
)
@Check('CHK_coach_settings_daily', 'max_sessions_per_day IS NULL OR max_sessions_per_day >= 1')
@Index('UQ_coach_settings_feed', ['calendarFeedTokenHash'], { unique: true })
export class CoachSettings {
  @PrimaryColumn('uuid', { name: 'coach_id' })
  coachId: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coach_id' })
  coach?: User;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ name: 'time_zone', type: 'text', default: 'UTC' })
  timeZone: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  weekly: WeeklyHours[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  overrides: DateOverride[];

  @Column({ name: 'cancellation_notice_hours', type: 'integer', default: 24 })
  cancellationNoticeHours: number;

  @Column({ name: 'max_sessions_per_day', type: 'integer', nullable: true })
  maxSessionsPerDay: number | null;

  @Column({ name: 'calendar_feed_token_hash', type: 'text', nullable: true })
  calendarFeedTokenHash: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
