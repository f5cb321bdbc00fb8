import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Before time zones had one rule (src/common/time-zone.ts), offsets such as "+01:00", ISO strings
 * and legacy names were stored, and pages formatting with them failed. This repairs what is
 * stored: a coach's bad zone becomes UTC; a booking's or a person's bad zone is read as the
 * coach's zone (the one the coach's pages already showed). The rule is copied here, frozen, so
 * later changes to the app's rule never change what this migration did.
 */
const SHAPE = /^(?:UTC|Etc\/UTC|[A-Z][A-Za-z_-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/;

function isIanaTimeZone(zone: string): boolean {
  if (zone.length > 64 || !SHAPE.test(zone) || (zone.startsWith('Etc/') && zone !== 'Etc/UTC')) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

async function badZones(q: QueryRunner, sql: string): Promise<string[]> {
  const rows: { zone: string }[] = await q.query(sql);
  return rows.map((r) => r.zone).filter((z) => !isIanaTimeZone(z));
}

export class RepairTimeZones1796140000000 implements MigrationInterface {
  name = 'RepairTimeZones1796140000000';

  public async up(q: QueryRunner): Promise<void> {
    const coachBad = await badZones(q, `SELECT DISTINCT time_zone AS zone FROM coach_settings`);
    if (coachBad.length) await q.query(`UPDATE coach_settings SET time_zone = 'UTC' WHERE time_zone = ANY($1)`, [coachBad]);

    const bookingBad = await badZones(q, `SELECT DISTINCT client_time_zone AS zone FROM bookings`);
    if (bookingBad.length) {
      await q.query(
        `UPDATE bookings b SET client_time_zone = COALESCE(
           (SELECT s.time_zone FROM coach_settings s WHERE s.coach_id = b.coach_id), 'UTC')
         WHERE b.client_time_zone = ANY($1)`,
        [bookingBad],
      );
    }

    const userBad = await badZones(q, `SELECT DISTINCT time_zone AS zone FROM users WHERE time_zone IS NOT NULL`);
    if (userBad.length) {
      // The practice's coach: the first coach account (as the app's coach() reads it).
      await q.query(
        `UPDATE users SET time_zone = COALESCE(
           (SELECT s.time_zone FROM users c JOIN coach_settings s ON s.coach_id = c.id
             WHERE c.role = 'coach' ORDER BY c.created_at LIMIT 1), 'UTC')
         WHERE time_zone = ANY($1)`,
        [userBad],
      );
    }
  }

  public async down(): Promise<void> {
    // A repair: the bad values are not worth restoring.
  }
}
