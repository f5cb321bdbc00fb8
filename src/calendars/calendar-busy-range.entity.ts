import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ExternalCalendar } from './external-calendar.entity';

/** A busy range from an external calendar's last good copy (no titles or details are kept). */
@Entity('calendar_busy_ranges')
@Index('IDX_calendar_busy_ranges_coach', ['coachId', 'startAt'])
@Index('IDX_calendar_busy_ranges_calendar', ['calendarId'])
@Check('CHK_calendar_busy_ranges_range', 'end_at > start_at')
export class CalendarBusyRange {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'calendar_id', type: 'uuid' })
  calendarId: string;

  @ManyToOne(() => ExternalCalendar, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'calendar_id' })
  calendar?: ExternalCalendar;

  /** Copied from the calendar so the slots query needs no join. */
  @Column({ name: 'coach_id', type: 'uuid' })
  coachId: string;

  @Column({ name: 'start_at', type: 'timestamptz' })
  startAt: Date;

  @Column({ name: 'end_at', type: 'timestamptz' })
  endAt: Date;
}
