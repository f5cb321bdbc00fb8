import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUSY_PARAMS } from '../scheduling/busy-time';
import { ExternalCalendar } from './external-calendar.entity';

const EPOCH_MS = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** The calendars module's tables: external_calendars and calendar_busy_ranges. */
@Injectable()
export class CalendarsRepository {
  constructor(private readonly dataSource: DataSource) {}

  listForCoach(coachId: string): Promise<ExternalCalendar[]> {
    return this.dataSource
      .getRepository(ExternalCalendar)
      .find({ where: { coachId }, order: { createdAt: 'ASC' } });
  }

  /** Every calendar of every coach (the sync job). */
  allIds(): Promise<{ id: string }[]> {
    return this.dataSource.query(
      `SELECT id FROM external_calendars ORDER BY last_synced_at ASC NULLS FIRST`,
    );
  }

  byId(id: string): Promise<ExternalCalendar | null> {
    return this.dataSource.getRepository(ExternalCalendar).findOne({ where: { id } });
  }

  insert(row: Partial<ExternalCalendar>): Promise<ExternalCalendar> {
    const repo = this.dataSource.getRepository(ExternalCalendar);
    return repo.save(repo.create(row));
  }

  async deleteForCoach(coachId: string, id: string): Promise<boolean> {
    const res = await this.dataSource.getRepository(ExternalCalendar).delete({ id, coachId });
    return !!res.affected;
  }

  /** A failed sync: say why; the last good busy ranges stay. */
  async recordError(id: string, error: string): Promise<void> {
    await this.dataSource.getRepository(ExternalCalendar).update({ id }, { lastError: error });
  }

  /** A 304: nothing changed since the last good copy. */
  async recordUnchanged(id: string, at: Date): Promise<void> {
    await this.dataSource
      .getRepository(ExternalCalendar)
      .update({ id }, { lastSyncedAt: at, lastError: null });
  }

  /**
   * A good copy: its busy ranges replace the calendar's old ones, in one transaction (the row lock
   * makes two syncs of one calendar take turns). False when the calendar was deleted meanwhile.
   */
  replaceBusy(
    id: string,
    ranges: { start: number; end: number }[],
    meta: Pick<
      ExternalCalendar,
      'etag' | 'lastModified' | 'lastSyncedAt' | 'expandedUntil' | 'eventCount'
    >,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [cal]: { coach_id: string }[] = await m.query(
        `SELECT coach_id FROM external_calendars WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!cal) return false;
      await m.query(`DELETE FROM calendar_busy_ranges WHERE calendar_id = $1`, [id]);
      for (let i = 0; i < ranges.length; i += 5000) {
        const chunk = ranges.slice(i, i + 5000);
        await m.query(
          `INSERT INTO calendar_busy_ranges (calendar_id, coach_id, start_at, end_at)
           SELECT $1, $2, to_timestamp(s / 1000.0), to_timestamp(e / 1000.0)
           FROM unnest($3::float8[], $4::float8[]) AS r(s, e)`,
          [id, cal.coach_id, chunk.map((r) => r.start), chunk.map((r) => r.end)],
        );
      }
      await m.update(ExternalCalendar, { id }, { ...meta, lastError: null });
      return true;
    });
  }

  /**
   * The SELECT (placeholders of BUSY_PARAMS) of the busy ranges of the coach's external calendars
   * overlapping [from, to): scheduling runs it in one statement with the other busy-time sources.
   * Served by IDX_calendar_busy_ranges_coach (ranges are at most 400 days long).
   */
  busyRangesSql(): string {
    const p = BUSY_PARAMS;
    return `SELECT ${EPOCH_MS('start_at')} AS a, ${EPOCH_MS('end_at')} AS b, NULL::float8 AS c FROM calendar_busy_ranges
       WHERE coach_id = ${p.coachId} AND start_at < ${p.to}::timestamptz AND end_at > ${p.from}::timestamptz
         AND start_at > ${p.from}::timestamptz - interval '400 days'`;
  }

  /** Key ids the stored URLs use (start-up check). */
  async keyIds(): Promise<string[]> {
    const rows: { key_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT key_id FROM external_calendars`,
    );
    return rows.map((r) => r.key_id);
  }
}
