import { MigrationInterface, QueryRunner } from 'typeorm';

export class TwelveSteps1795620007960 implements MigrationInterface {
  name = 'TwelveSteps1795620007960';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "encryption_key_checks" ("key_id" text NOT NULL, "nonce" bytea NOT NULL, "ciphertext" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1a623ac0f0a4b30386abc6187ed" PRIMARY KEY ("key_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "enrollments" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "user_id" uuid NOT NULL, "status" text NOT NULL, "source" text NOT NULL, "share_progress" boolean NOT NULL DEFAULT true, "payment_id" text, "activated_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_enrollments_source" CHECK ("source" IN ('payment', 'grant')), CONSTRAINT "CHK_enrollments_status" CHECK ("status" IN ('pending_payment', 'active', 'expired', 'refunded')), CONSTRAINT "PK_7c0f752f9fb68bf6ed7367ab00f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_enrollments_user" ON "enrollments"  ("user_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_enrollments_pending_user" ON "enrollments"  ("user_id") WHERE "status" = 'pending_payment'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_enrollments_active_user" ON "enrollments"  ("user_id") WHERE "status" = 'active'`,
    );
    await queryRunner.query(
      `CREATE TABLE "enrollment_steps" ("enrollment_id" uuid NOT NULL, "step" smallint NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "opened_via" text NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "opened_mail_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_enrollment_steps_via" CHECK ("opened_via" IN ('activation', 'completion', 'drip', 'coach')), CONSTRAINT "CHK_enrollment_steps_step" CHECK ("step" BETWEEN 1 AND 12), CONSTRAINT "PK_5f807532fc0061484d97d8568fd" PRIMARY KEY ("enrollment_id", "step"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "program" ("id" smallint NOT NULL DEFAULT '1', "title" text NOT NULL, "description" text NOT NULL, "price" integer NOT NULL, "currency" text NOT NULL, "drip_days" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_program_drip_days" CHECK ("drip_days" BETWEEN 0 AND 365), CONSTRAINT "CHK_program_price" CHECK ("price" >= 0), CONSTRAINT "CHK_program_single_row" CHECK ("id" = 1), CONSTRAINT "PK_3bade5945afbafefdd26a3a29fb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "program_steps" ("number" smallint NOT NULL, "title" text NOT NULL, "summary" text NOT NULL, "body" text NOT NULL, "prompts" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_program_steps_number" CHECK ("number" BETWEEN 1 AND 12), CONSTRAINT "PK_7b0f3faef4ab7671b502a4bff5e" PRIMARY KEY ("number"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "reflections" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "user_id" uuid NOT NULL, "step" smallint NOT NULL, "key_id" text NOT NULL, "nonce" bytea NOT NULL, "ciphertext" bytea NOT NULL, "shared_with_coach" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_reflections_step" CHECK ("step" BETWEEN 1 AND 12), CONSTRAINT "PK_4154d824fef84e88b13fbe26b06" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_reflections_user_step" ON "reflections"  ("user_id", "step") `,
    );
    await queryRunner.query(
      `ALTER TABLE "enrollments" ADD CONSTRAINT "FK_ff997f5a39cd24a491b9aca45c9" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrollment_steps" ADD CONSTRAINT "FK_3d7e88573906fade4cff7235e3e" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reflections" ADD CONSTRAINT "FK_f1c8839d90e44918e26b56cbb2e" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "reflections" DROP CONSTRAINT "FK_f1c8839d90e44918e26b56cbb2e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrollment_steps" DROP CONSTRAINT "FK_3d7e88573906fade4cff7235e3e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrollments" DROP CONSTRAINT "FK_ff997f5a39cd24a491b9aca45c9"`,
    );
    await queryRunner.query(`DROP INDEX "public"."UQ_reflections_user_step"`);
    await queryRunner.query(`DROP TABLE "reflections"`);
    await queryRunner.query(`DROP TABLE "program_steps"`);
    await queryRunner.query(`DROP TABLE "program"`);
    await queryRunner.query(`DROP TABLE "enrollment_steps"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_enrollments_active_user"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_enrollments_pending_user"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_enrollments_user"`);
    await queryRunner.query(`DROP TABLE "enrollments"`);
    await queryRunner.query(`DROP TABLE "encryption_key_checks"`);
  }
}
