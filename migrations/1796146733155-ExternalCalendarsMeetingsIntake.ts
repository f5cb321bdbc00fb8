import { MigrationInterface, QueryRunner } from 'typeorm';

export class ExternalCalendarsMeetingsIntake1796146733155 implements MigrationInterface {
  name = 'ExternalCalendarsMeetingsIntake1796146733155';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "external_calendars" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "coach_id" uuid NOT NULL, "name" text NOT NULL, "url_host" text NOT NULL, "key_id" text NOT NULL, "nonce" bytea NOT NULL, "ciphertext" bytea NOT NULL, "etag" text, "last_modified" text, "last_synced_at" TIMESTAMP WITH TIME ZONE, "expanded_until" TIMESTAMP WITH TIME ZONE, "last_error" text, "event_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5bb0f7b9683a8b92d9d2a68bb58" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_external_calendars_coach" ON "external_calendars"  ("coach_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "calendar_busy_ranges" ("id" BIGSERIAL NOT NULL, "calendar_id" uuid NOT NULL, "coach_id" uuid NOT NULL, "start_at" TIMESTAMP WITH TIME ZONE NOT NULL, "end_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_calendar_busy_ranges_range" CHECK (end_at > start_at), CONSTRAINT "PK_477dbb372a14a7020a6a4ee3ab1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_calendar_busy_ranges_calendar" ON "calendar_busy_ranges"  ("calendar_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_calendar_busy_ranges_coach" ON "calendar_busy_ranges"  ("coach_id", "start_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "session_types" ADD "meeting_kind" text NOT NULL DEFAULT 'none'`,
    );
    await queryRunner.query(`ALTER TABLE "session_types" ADD "meeting_value" text`);
    await queryRunner.query(
      `ALTER TABLE "session_types" ADD "intake_questions" jsonb NOT NULL DEFAULT '[]'::jsonb`,
    );
    await queryRunner.query(`ALTER TABLE "bookings" ADD "meeting_url" text`);
    await queryRunner.query(
      `ALTER TABLE "session_types" ADD CONSTRAINT "CHK_session_types_meeting_kind" CHECK (meeting_kind IN ('generated_video', 'fixed_link', 'phone', 'in_person', 'none'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "external_calendars" ADD CONSTRAINT "FK_ba1b34ff6229dd954261ffd09ed" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "calendar_busy_ranges" ADD CONSTRAINT "FK_3c421153963334cb12cc4d6c670" FOREIGN KEY ("calendar_id") REFERENCES "external_calendars"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "calendar_busy_ranges" DROP CONSTRAINT "FK_3c421153963334cb12cc4d6c670"`,
    );
    await queryRunner.query(
      `ALTER TABLE "external_calendars" DROP CONSTRAINT "FK_ba1b34ff6229dd954261ffd09ed"`,
    );
    await queryRunner.query(
      `ALTER TABLE "session_types" DROP CONSTRAINT "CHK_session_types_meeting_kind"`,
    );
    await queryRunner.query(`ALTER TABLE "bookings" DROP COLUMN "meeting_url"`);
    await queryRunner.query(`ALTER TABLE "session_types" DROP COLUMN "intake_questions"`);
    await queryRunner.query(`ALTER TABLE "session_types" DROP COLUMN "meeting_value"`);
    await queryRunner.query(`ALTER TABLE "session_types" DROP COLUMN "meeting_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_calendar_busy_ranges_coach"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_calendar_busy_ranges_calendar"`);
    await queryRunner.query(`DROP TABLE "calendar_busy_ranges"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_external_calendars_coach"`);
    await queryRunner.query(`DROP TABLE "external_calendars"`);
  }
}
