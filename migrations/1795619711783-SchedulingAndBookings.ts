import { MigrationInterface, QueryRunner } from 'typeorm';

export class SchedulingAndBookings1795619711783 implements MigrationInterface {
  name = 'SchedulingAndBookings1795619711783';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(
      `CREATE TABLE "session_types" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "coach_id" uuid NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, "description" text NOT NULL DEFAULT '', "duration_minutes" integer NOT NULL, "price" integer NOT NULL DEFAULT '0', "currency" text NOT NULL DEFAULT 'usd', "buffer_before_minutes" integer NOT NULL DEFAULT '0', "buffer_after_minutes" integer NOT NULL DEFAULT '0', "minimum_notice_minutes" integer NOT NULL DEFAULT '0', "booking_window_days" integer NOT NULL DEFAULT '60', "slot_interval_minutes" integer, "location" text NOT NULL DEFAULT '', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_session_types_price" CHECK (price >= 0), CONSTRAINT "CHK_session_types_window" CHECK (booking_window_days BETWEEN 1 AND 730), CONSTRAINT "CHK_session_types_notice" CHECK (minimum_notice_minutes BETWEEN 0 AND 43200), CONSTRAINT "CHK_session_types_buffers" CHECK (buffer_before_minutes BETWEEN 0 AND 240 AND buffer_after_minutes BETWEEN 0 AND 240), CONSTRAINT "CHK_session_types_interval" CHECK (slot_interval_minutes IS NULL OR slot_interval_minutes BETWEEN 5 AND 480), CONSTRAINT "CHK_session_types_duration" CHECK (duration_minutes BETWEEN 5 AND 480), CONSTRAINT "PK_7d42a2ce4a75edfa6f9a8294cd6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_session_types_slug" ON "session_types"  ("slug") `,
    );
    await queryRunner.query(
      `CREATE TABLE "bookings" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "coach_id" uuid NOT NULL, "client_id" uuid NOT NULL, "session_type_id" uuid NOT NULL, "status" text NOT NULL, "start_at" TIMESTAMP WITH TIME ZONE NOT NULL, "end_at" TIMESTAMP WITH TIME ZONE NOT NULL, "busy_start" TIMESTAMP WITH TIME ZONE NOT NULL, "busy_end" TIMESTAMP WITH TIME ZONE NOT NULL, "hold_expires_at" TIMESTAMP WITH TIME ZONE, "client_name" text NOT NULL, "client_email" text NOT NULL, "client_time_zone" text NOT NULL, "price" integer NOT NULL, "currency" text NOT NULL, "notes" text, "intake" jsonb, "manage_token_hash" text NOT NULL, "sequence" integer NOT NULL DEFAULT '0', "reminder_sent_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_bookings_range" CHECK (end_at > start_at AND busy_start <= start_at AND busy_end >= end_at), CONSTRAINT "CHK_bookings_status" CHECK (status IN ('pending_payment', 'confirmed', 'cancelled', 'expired')), CONSTRAINT "EX_bookings_no_overlap" EXCLUDE USING gist (coach_id WITH =, tstzrange(busy_start, busy_end, '[)') WITH &&) WHERE (status IN ('confirmed', 'pending_payment')), CONSTRAINT "PK_bee6805982cc1e248e94ce94957" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bookings_holds" ON "bookings"  ("hold_expires_at") WHERE status = 'pending_payment'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bookings_reminder" ON "bookings"  ("start_at") WHERE status = 'confirmed' AND reminder_sent_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_bookings_manage_token" ON "bookings"  ("manage_token_hash") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bookings_client" ON "bookings"  ("client_id", "start_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bookings_coach_busy" ON "bookings"  ("coach_id", "busy_start") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("key" text NOT NULL, "request_hash" text NOT NULL, "status_code" integer NOT NULL, "response" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0afd83cbf08c9d12089a9bffc5e" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "coach_settings" ("coach_id" uuid NOT NULL, "display_name" text NOT NULL, "time_zone" text NOT NULL DEFAULT 'UTC', "weekly" jsonb NOT NULL DEFAULT '[]', "overrides" jsonb NOT NULL DEFAULT '[]', "cancellation_notice_hours" integer NOT NULL DEFAULT '24', "max_sessions_per_day" integer, "calendar_feed_token_hash" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_coach_settings_daily" CHECK (max_sessions_per_day IS NULL OR max_sessions_per_day >= 1), CONSTRAINT "CHK_coach_settings_notice" CHECK (cancellation_notice_hours >= 0 AND cancellation_notice_hours <= 720), CONSTRAINT "PK_9950944139def2d2a26cdb691f5" PRIMARY KEY ("coach_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_coach_settings_feed" ON "coach_settings"  ("calendar_feed_token_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "time_off" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "coach_id" uuid NOT NULL, "start_at" TIMESTAMP WITH TIME ZONE NOT NULL, "end_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_time_off_range" CHECK (end_at > start_at), CONSTRAINT "PK_e80a790cc96026d0f557a78f83d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_time_off_coach_window" ON "time_off"  ("coach_id", "end_at", "start_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "session_types" ADD CONSTRAINT "FK_d0ab9ce664d84e8b4f61f39e7a6" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD CONSTRAINT "FK_045c8fc66467e20e5ecf047501d" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD CONSTRAINT "FK_23096dca2f7a9d1505d0267d4c6" FOREIGN KEY ("client_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" ADD CONSTRAINT "FK_be93a0250a52b4968e393fe7c4c" FOREIGN KEY ("session_type_id") REFERENCES "session_types"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "coach_settings" ADD CONSTRAINT "FK_9950944139def2d2a26cdb691f5" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "time_off" ADD CONSTRAINT "FK_72f4cb89be58760f70c551d6448" FOREIGN KEY ("coach_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "time_off" DROP CONSTRAINT "FK_72f4cb89be58760f70c551d6448"`,
    );
    await queryRunner.query(
      `ALTER TABLE "coach_settings" DROP CONSTRAINT "FK_9950944139def2d2a26cdb691f5"`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" DROP CONSTRAINT "FK_be93a0250a52b4968e393fe7c4c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" DROP CONSTRAINT "FK_23096dca2f7a9d1505d0267d4c6"`,
    );
    await queryRunner.query(
      `ALTER TABLE "bookings" DROP CONSTRAINT "FK_045c8fc66467e20e5ecf047501d"`,
    );
    await queryRunner.query(
      `ALTER TABLE "session_types" DROP CONSTRAINT "FK_d0ab9ce664d84e8b4f61f39e7a6"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_time_off_coach_window"`);
    await queryRunner.query(`DROP TABLE "time_off"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_coach_settings_feed"`);
    await queryRunner.query(`DROP TABLE "coach_settings"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bookings_coach_busy"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bookings_client"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_bookings_manage_token"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bookings_reminder"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bookings_holds"`);
    await queryRunner.query(`DROP TABLE "bookings"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_session_types_slug"`);
    await queryRunner.query(`DROP TABLE "session_types"`);
  }
}
