import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runStatement } from '../database/statements.repository';
import { BUSY_PARAMS, BusyKind } from './busy-time';
import { CoachSettings } from './coach-settings.entity';
import { SETTINGS_COLUMNS, SettingsRow, TypeRow } from './scheduling-rows';
import { SessionType } from './session-type.entity';
import { TimeOff } from './time-off.entity';

const EPOCH_MS = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** A session type's slot rules with its coach's settings (null columns when never saved). */
export type SlotTypeRow = TypeRow & Partial<SettingsRow> & { time_zone: string | null };

/** What one round trip says about a window: the settings version, time off and each source's ranges. */
export interface BusyInWindow {
  version: number;
  timeOff: { start: number; end: number }[];
  /** Per source, in the order given: its ranges ({start, end, sessionStart}). */
  sources: { start: number; end: number; sessionStart: number | null }[][];
}

/** The scheduling module's tables: coach_settings, time_off, session_types, scheduling_version. */
@Injectable()
export class SchedulingRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- the version of what the slot cache keeps ----

  /**
   * A coach's settings row (undefined when never saved) and the scheduling version it is of:
   * triggers bump the version whenever coach_settings or session_types change (migration
   * SchedulingVersion), so every instance can tell its cached copies are stale.
   */
  async settingsWithVersion(
    coachId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ version: number; row: SettingsRow | undefined }> {
    const [r]: (SettingsRow & { v: string })[] = await m.query(
      `SELECT v.version AS v, ${SETTINGS_COLUMNS}
       FROM scheduling_version v LEFT JOIN coach_settings s ON s.coach_id = $1 WHERE v.id = 1`,
      [coachId],
    );
    if (!r) return { version: 0, row: undefined };
    const { v, ...row } = r;
    return { version: Number(v), row: row.time_zone == null ? undefined : row };
  }

  // ---- coach settings ----

  async settingsRow(
    coachId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<SettingsRow | undefined> {
    // Raw SQL: TypeORM's entity loading costs more than the query.
    const [row]: SettingsRow[] = await m.query(
      `SELECT ${SETTINGS_COLUMNS} FROM coach_settings s WHERE s.coach_id = $1`,
      [coachId],
    );
    return row;
  }

  async saveSettings(row: Partial<CoachSettings> & { coachId: string }): Promise<void> {
    await this.dataSource.getRepository(CoachSettings).upsert(row, ['coachId']);
  }

  async coachIdForFeedTokenHash(hash: string): Promise<string | null> {
    const [row]: { coach_id: string }[] = await this.dataSource.query(
      `SELECT coach_id FROM coach_settings WHERE calendar_feed_token_hash = $1`,
      [hash],
    );
    return row?.coach_id ?? null;
  }

  async hasWeeklyHours(coachId: string): Promise<boolean> {
    const row = await this.settingsRow(coachId);
    return !!row && row.weekly.length > 0;
  }

  // ---- time off ----

  timeOffOf(coachId: string): Promise<TimeOff[]> {
    return this.dataSource
      .getRepository(TimeOff)
      .find({ where: { coachId }, order: { startAt: 'ASC' } });
  }

  addTimeOff(row: Pick<TimeOff, 'coachId' | 'startAt' | 'endAt' | 'reason'>): Promise<TimeOff> {
    return this.dataSource.getRepository(TimeOff).save(row);
  }

  /** How many rows went (0 when the id is not this coach's). */
  async deleteTimeOff(coachId: string, id: string): Promise<number> {
    const res = await this.dataSource.getRepository(TimeOff).delete({ id, coachId });
    return res.affected ?? 0;
  }

  // ---- session types ----

  sessionTypes(coachId: string | null, includeInactive: boolean): Promise<SessionType[]> {
    const where = { ...(coachId ? { coachId } : {}), ...(includeInactive ? {} : { active: true }) };
    return this.dataSource.getRepository(SessionType).find({ where, order: { createdAt: 'ASC' } });
  }

  countSessionTypes(): Promise<number> {
    return this.dataSource.getRepository(SessionType).count();
  }

  /** Inserts or updates; a taken slug fails with the unique violation (the caller maps it). */
  async saveSessionType(row: Partial<SessionType>): Promise<string> {
    const saved = await this.dataSource.getRepository(SessionType).save(row);
    return saved.id;
  }

  async saveSessionTypes(rows: Partial<SessionType>[]): Promise<void> {
    await this.dataSource.getRepository(SessionType).save(rows);
  }

  sessionTypeOfCoach(id: string, coachId: string): Promise<SessionType | null> {
    return this.dataSource.getRepository(SessionType).findOne({ where: { id, coachId } });
  }

  sessionTypeById(id: string, m: EntityManager = this.dataSource.manager): Promise<SessionType> {
    return m.findOneByOrFail(SessionType, { id });
  }

  activeSessionTypeBySlug(
    slug: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<SessionType | null> {
    return m.findOne(SessionType, { where: { slug, active: true } });
  }

  /** The longest booking window of the coach's active session types, in days (null when none). */
  async longestBookingWindowDays(coachId: string): Promise<number | null> {
    const [row]: { days: number | null }[] = await this.dataSource.query(
      `SELECT max(booking_window_days)::int AS days FROM session_types WHERE coach_id = $1 AND active`,
      [coachId],
    );
    return row?.days ?? null;
  }

  // ---- the slots hot path (raw SQL, no entities) ----

  /** An active session type's slot rules and its coach's settings, with the version they are of. */
  async slotTypeBySlug(slug: string): Promise<{ version: number; row: SlotTypeRow | null }> {
    const rows: (SlotTypeRow & { v: string })[] = await this.dataSource.query(
      `SELECT v.version AS v, t.coach_id, t.duration_minutes, t.slot_interval_minutes,
              t.buffer_before_minutes, t.buffer_after_minutes, t.minimum_notice_minutes,
              t.booking_window_days, ${SETTINGS_COLUMNS}
       FROM scheduling_version v
       LEFT JOIN session_types t ON t.slug = $1 AND t.active
       LEFT JOIN coach_settings s ON s.coach_id = t.coach_id
       WHERE v.id = 1`,
      [slug],
    );
    const r = rows[0];
    if (!r) return { version: 0, row: null };
    const { v, ...row } = r;
    return { version: Number(v), row: row.coach_id ? row : null };
  }

  /**
   * One statement for everything busy near a window: the scheduling version (so cached settings
   * are checked in the same snapshot), the coach's time off (IDX_time_off_coach_window) and the
   * ranges of each busy-time source (SQL written by the module that owns those tables).
   */
  async busyInWindow(
    m: EntityManager | undefined,
    sources: { kind: BusyKind; sql: string }[],
    coachId: string,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<BusyInWindow> {
    const p = BUSY_PARAMS;
    const parts = [
      // `now` is typed here too: no source may use it (PostgreSQL refuses an untyped parameter).
      `SELECT -1 AS k, version::float8 AS a, NULL::float8 AS b, NULL::float8 AS c FROM scheduling_version
       WHERE id = 1 AND ${p.now}::timestamptz IS NOT NULL`,
      `SELECT 0, ${EPOCH_MS('start_at')}, ${EPOCH_MS('end_at')}, NULL::float8 FROM time_off
       WHERE coach_id = ${p.coachId} AND end_at > ${p.from}::timestamptz AND start_at < ${p.to}::timestamptz`,
      ...sources.map((s, i) => `SELECT ${i + 1}, a, b, c FROM (${s.sql}) s${i}`),
    ];
    const text = parts.join('\nUNION ALL\n');
    const params = [coachId, from, to, now];
    type Row = { k: number; a: number; b: number | null; c: number | null };
    // Outside a transaction a named (prepared) statement: parsed and planned once per connection.
    const rows = await runStatement<Row>(this.dataSource, m, { text, values: params });
    const out: BusyInWindow = { version: 0, timeOff: [], sources: sources.map(() => []) };
    for (const r of rows) {
      if (r.k === -1) out.version = r.a;
      else if (r.k === 0) out.timeOff.push({ start: r.a, end: r.b as number });
      else out.sources[r.k - 1].push({ start: r.a, end: r.b as number, sessionStart: r.c });
    }
    return out;
  }
}
