import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_ACTIONS = [
  'client_notes.read',
  'shared_reflections.read',
  'data.exported',
  'account.erased',
  'key.rotated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_SUBJECT_TYPES = ['client', 'enrollment', 'account', 'encrypted_table'] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];

export type AuditActorRole = 'coach' | 'client' | 'system';

/**
 * One entry of the audit trail: who did what to which record, when, under which request. Ids and
 * codes only, never any text (no names, emails, notes or reflections), so an entry about a person
 * who later erased their account keeps nothing that identifies them once their user row is gone.
 * No foreign keys, for the same reason: erasing a user must not touch (or be blocked by) the trail.
 *
 * Append-only: a trigger (migration AuditTrail) makes every UPDATE, DELETE and TRUNCATE raise,
 * whatever role runs it; the app role's UPDATE/DELETE/TRUNCATE privileges are revoked as well.
 */
@Entity('audit_events')
@Index('IDX_audit_events_person', ['personId', 'id'])
@Check(
  'CHK_audit_events_action',
  `"action" IN ('client_notes.read', 'shared_reflections.read', 'data.exported', 'account.erased', 'key.rotated')`,
)
@Check(
  'CHK_audit_events_subject_type',
  `"subject_type" IN ('client', 'enrollment', 'account', 'encrypted_table')`,
)
@Check('CHK_audit_events_actor_role', `"actor_role" IN ('coach', 'client', 'system')`)
export class AuditEvent {
  /** Increasing: the cursor of `GET /api/audit?before=`. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at: Date;

  /** The person who acted (null: Mend itself, e.g. the re-encryption job). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole: AuditActorRole;

  @Column({ type: 'text' })
  action: AuditAction;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType: AuditSubjectType;

  /** The record's id (a user, an enrollment) or, for a key rotation, the table and key id. */
  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;

  /** Whose data this entry is about (their export lists it); null when it is about no one. */
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId: string | null;

  /** The request id the logs carry (null for background jobs). */
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;
}
