import { MigrationInterface, QueryRunner } from 'typeorm';

export class Payments1795619824522 implements MigrationInterface {
  name = 'Payments1795619824522';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "payments" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "kind" text NOT NULL, "reference_id" uuid NOT NULL, "amount" integer NOT NULL, "currency" text NOT NULL, "description" text NOT NULL, "customer_email" text, "status" text NOT NULL DEFAULT 'pending', "test_mode" boolean NOT NULL DEFAULT false, "checkout_session_id" text, "payment_intent_id" text, "checkout_url" text, "success_path" text NOT NULL, "cancel_path" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "paid_at" TIMESTAMP WITH TIME ZONE, "refunded_amount" integer NOT NULL DEFAULT '0', "refund_ids" text array NOT NULL DEFAULT '{}', "refund_reason" text, "refunded_at" TIMESTAMP WITH TIME ZONE, "failure_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_payments_amount" CHECK ("amount" > 0 AND "refunded_amount" >= 0 AND "refunded_amount" <= "amount"), CONSTRAINT "CHK_payments_status" CHECK ("status" IN ('pending', 'succeeded', 'failed', 'expired', 'refund_pending', 'refunded')), CONSTRAINT "CHK_payments_kind" CHECK ("kind" IN ('booking', 'enrollment')), CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_payments_payment_intent" ON "payments"  ("payment_intent_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_payments_checkout_session" ON "payments"  ("checkout_session_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_payments_created" ON "payments"  ("created_at") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_payments_reference" ON "payments"  ("kind", "reference_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "stripe_events" ("id" text NOT NULL, "type" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "stripe_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_payments_reference"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_payments_created"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_payments_checkout_session"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_payments_payment_intent"`);
    await queryRunner.query(`DROP TABLE "payments"`);
  }
}
