import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditAction, AuditActorRole, AuditSubjectType } from './audit-event.entity';

export interface AuditRow {
  id: string;
  at: Date;
  actorId: string | null;
  actorRole: AuditActorRole;
  action: AuditAction;
  subjectType: AuditSubjectType;
  subjectId: string;
  personId: string | null;
  requestId: string | null;
}

/** An entry to append: its id and time are the database's. */
export type NewAuditEntry = Omit<AuditRow, 'id' | 'at'>;

type RawRow = {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_role: AuditActorRole;
  action: AuditAction;
  subject_type: AuditSubjectType;
  subject_id: string;
  person_id: string | null;
  request_id: string | null;
};

const COLUMNS = `id::text AS id, at, actor_id, actor_role, action, subject_type, subject_id, person_id, request_id`;

const toRow = (r: RawRow): AuditRow => ({
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorRole: r.actor_role,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  personId: r.person_id,
  requestId: r.request_id,
});

/** The audit_events table: appended to, read newest first; never updated or deleted (the database refuses). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One INSERT, inside the caller's transaction when given one. */
  async append(entry: NewAuditEntry, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.query(
      `INSERT INTO audit_events (actor_id, actor_role, action, subject_type, subject_id, person_id, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.actorId,
        entry.actorRole,
        entry.action,
        entry.subjectType,
        entry.subjectId,
        entry.personId,
        entry.requestId,
      ],
    );
  }

  /** Newest first; `before` is the id of the last entry already seen. */
  async newest(limit: number, before: string | null): Promise<AuditRow[]> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM audit_events WHERE ($1::bigint IS NULL OR id < $1::bigint) ORDER BY id DESC LIMIT $2`,
      [before, limit],
    );
    return rows.map(toRow);
  }

  /** Every entry about one person (their data export), oldest first. */
  async aboutPerson(personId: string): Promise<AuditRow[]> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM audit_events WHERE person_id = $1 ORDER BY id`,
      [personId],
    );
    return rows.map(toRow);
  }
}
