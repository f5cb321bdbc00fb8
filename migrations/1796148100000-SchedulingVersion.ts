import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scheduling version (see src/scheduling/slot-settings-cache.ts): one row, bumped in the same
 * transaction as every change to coach_settings or session_types, by statement-level triggers (a
 * trigger can't be forgotten by a new code path, a job or a fix in psql). The slots path reads it
 * in the same statement as the busy time and drops its cached copies when it moved.
 */
export class SchedulingVersion1796148100000 implements MigrationInterface {
  name = 'SchedulingVersion1796148100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "scheduling_version" ("id" smallint NOT NULL, "version" bigint NOT NULL DEFAULT '1', CONSTRAINT "CHK_scheduling_version_single_row" CHECK ("id" = 1), CONSTRAINT "PK_1c413639b71683b4fca03c4db92" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "scheduling_version" ("id", "version") VALUES (1, 1)`);
    await queryRunner.query(`
      CREATE FUNCTION bump_scheduling_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE scheduling_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
      END $$`);
    for (const table of ['coach_settings', 'session_types']) {
      await queryRunner.query(`
        CREATE TRIGGER scheduling_version_${table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION bump_scheduling_version()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['coach_settings', 'session_types'])
      await queryRunner.query(`DROP TRIGGER scheduling_version_${table} ON ${table}`);
    await queryRunner.query(`DROP FUNCTION bump_scheduling_version()`);
    await queryRunner.query(`DROP TABLE "scheduling_version"`);
  }
}
