import {
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

/**
 * One of the coach's other calendars, subscribed to by its iCal address. The address is a secret
 * (whoever has it reads her calendar): it is stored only as AES-256-GCM ciphertext, and answers
 * show only its host.
 */
@Entity('external_calendars')
@Index('IDX_external_calendars_coach', ['coachId'])
export class ExternalCalendar {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'coach_id', type: 'uuid' })
  coachId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coach_id' })
  coach?: User;

  @Column({ type: 'text' })
  name: string;

  /** The URL's host, the only part ever shown. */
  @Column({ name: 'url_host', type: 'text' })
  urlHost: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  @Column({ type: 'bytea' })
  nonce: Buffer;

  /** The feed URL, encrypted. */
  @Column({ type: 'bytea' })
  ciphertext: Buffer;

  @Column({ type: 'text', nullable: true })
  etag: string | null;

  @Column({ name: 'last_modified', type: 'text', nullable: true })
  lastModified: string | null;

  /** The last successful sync (a 304 counts). */
  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true })
  lastSyncedAt: Date | null;

  /** The busy ranges stored reach this far; a conditional GET is used only while it is far enough. */
  @Column({ name: 'expanded_until', type: 'timestamptz', nullable: true })
  expandedUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'event_count', type: 'integer', default: 0 })
  eventCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
