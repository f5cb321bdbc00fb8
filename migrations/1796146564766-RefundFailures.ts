import { MigrationInterface, QueryRunner } from 'typeorm';

/** A refund Stripe reports as failed (charge.refund.updated): `refund_failed`, its reason, and retries with new keys. */
export class RefundFailures1796146564766 implements MigrationInterface {
  name = 'RefundFailures1796146564766';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payments" ADD "refund_attempt" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "payments" ADD "failed_refund_ids" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "payments" ADD "refund_failure_reason" text`);
    await queryRunner.query(`ALTER TABLE "payments" ADD "refund_failed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "CHK_payments_status"`);
    await queryRunner.query(
      `ALTER TABLE "payments" ADD CONSTRAINT "CHK_payments_status" CHECK ("status" IN ('pending', 'succeeded', 'failed', 'expired', 'refund_pending', 'refunded', 'refund_failed'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "payments" SET "status" = 'refund_pending' WHERE "status" = 'refund_failed'`);
    await queryRunner.query(`ALTER TABLE "payments" DROP CONSTRAINT "CHK_payments_status"`);
    await queryRunner.query(
      `ALTER TABLE "payments" ADD CONSTRAINT "CHK_payments_status" CHECK ("status" IN ('pending', 'succeeded', 'failed', 'expired', 'refund_pending', 'refunded'))`,
    );
    await queryRunner.query(`ALTER TABLE "payments" DROP COLUMN "refund_failed_at"`);
    await queryRunner.query(`ALTER TABLE "payments" DROP COLUMN "refund_failure_reason"`);
    await queryRunner.query(`ALTER TABLE "payments" DROP COLUMN "failed_refund_ids"`);
    await queryRunner.query(`ALTER TABLE "payments" DROP COLUMN "refund_attempt"`);
  }
}
