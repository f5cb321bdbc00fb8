import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { AuditContext, SYSTEM_ACTOR } from './audit-context';
import { AuditAction } from './audit-event.entity';
import { AuditRepository, AuditRow } from './audit.repository';
import { AuditEntryDto } from './dto/audit.dto';

export const AUDIT_PAGE_DEFAULT = 50;

const ACTION_WORDS: Record<AuditAction, string> = {
  'client_notes.read': 'read the private notes about a client',
  'shared_reflections.read': 'read a member’s shared reflections',
  'data.exported': 'exported their data',
  'account.erased': 'erased their account',
  'key.rotated': 're-encrypted private writing under the current key',
};

export interface AuditPageRow extends AuditEntryDto {
  actorLabel: string;
  actionLabel: string;
  /** The person the entry is about, if they still have an account (else null: erased). */
  person: { id: string; name: string; link: string | null } | null;
  personErased: boolean;
  subjectLabel: string;
}

/** Where the coach can see the record an entry is about (the coach's own account has no client page). */
function linkFor(r: AuditRow): string | null {
  if (r.subjectType === 'enrollment') return `/coach/members/${r.subjectId}`;
  if (r.subjectType === 'client' || (r.subjectType === 'account' && r.actorRole === 'client'))
    return `/coach/clients/${r.personId}`;
  return null;
}

function toDto(r: AuditRow): AuditEntryDto {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: { id: r.actorId, role: r.actorRole },
    action: r.action,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    requestId: r.requestId,
  };
}

/**
 * The audit trail: every read by the coach of a client's private notes or a member's shared
 * reflections, every export, every erasure and every key rotation. Entries are written before the
 * data is returned (a read that can't be recorded doesn't happen) and hold ids only.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly accounts: AccountsService,
  ) {}

  clientNotesRead(ctx: AuditContext, clientId: string): Promise<void> {
    return this.audit.append({
      ...ctx,
      action: 'client_notes.read',
      subjectType: 'client',
      subjectId: clientId,
      personId: clientId,
    });
  }

  sharedReflectionsRead(ctx: AuditContext, enrollmentId: string, memberId: string): Promise<void> {
    return this.audit.append({
      ...ctx,
      action: 'shared_reflections.read',
      subjectType: 'enrollment',
      subjectId: enrollmentId,
      personId: memberId,
    });
  }

  exported(ctx: AuditContext, userId: string): Promise<void> {
    return this.audit.append({
      ...ctx,
      action: 'data.exported',
      subjectType: 'account',
      subjectId: userId,
      personId: userId,
    });
  }

  /** Inside the erasure's transaction: the entry commits with the erasure or not at all. */
  erased(m: EntityManager, ctx: AuditContext, userId: string): Promise<void> {
    return this.audit.append(
      {
        ...ctx,
        action: 'account.erased',
        subjectType: 'account',
        subjectId: userId,
        personId: userId,
      },
      m,
    );
  }

  /** Rows of `table` were re-encrypted under the key `keyId` (the rotation job). */
  keyRotated(table: string, keyId: string, ctx: AuditContext = SYSTEM_ACTOR): Promise<void> {
    return this.audit.append({
      ...ctx,
      action: 'key.rotated',
      subjectType: 'encrypted_table',
      subjectId: `${table}:${keyId}`,
      personId: null,
    });
  }

  async list(limit = AUDIT_PAGE_DEFAULT, before: string | null = null): Promise<AuditEntryDto[]> {
    return (await this.audit.newest(limit, before)).map(toDto);
  }

  /** The entries about one person, for their own export. */
  async aboutPerson(personId: string): Promise<AuditEntryDto[]> {
    return (await this.audit.aboutPerson(personId)).map(toDto);
  }

  /** For the coach's page: each entry in words, with the person's preferred name while they have an account. */
  async page(
    limit = AUDIT_PAGE_DEFAULT,
    before: string | null = null,
  ): Promise<{ rows: AuditPageRow[]; older: string | null }> {
    const rows = await this.audit.newest(limit + 1, before);
    const shown = rows.slice(0, limit);
    const ids = [
      ...new Set(
        shown.flatMap((r) => [r.actorId, r.personId]).filter((x): x is string => x !== null),
      ),
    ];
    const names = await this.accounts.displayNames(ids);
    return {
      older: rows.length > limit ? shown[shown.length - 1].id : null,
      rows: shown.map((r) => {
        const personName = r.personId ? names.get(r.personId) : undefined;
        const actorName = r.actorId ? names.get(r.actorId) : undefined;
        return {
          ...toDto(r),
          actorLabel:
            r.actorRole === 'system'
              ? 'Mend (background job)'
              : r.actorRole === 'coach'
                ? 'You (coach)'
                : (actorName ?? 'A person whose account is erased'),
          actionLabel: ACTION_WORDS[r.action],
          person:
            r.personId && personName
              ? { id: r.personId, name: personName, link: linkFor(r) }
              : null,
          personErased: r.personId !== null && personName === undefined,
          subjectLabel:
            r.subjectType === 'encrypted_table'
              ? r.subjectId.replace(':', ', key ')
              : `${r.subjectType} ${r.subjectId}`,
        };
      }),
    };
  }
}
