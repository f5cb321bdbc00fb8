import { MigrationInterface, QueryRunner } from "typeorm";

export class MailLanes1796146584723 implements MigrationInterface {
    name = 'MailLanes1796146584723'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "lane" text NOT NULL DEFAULT 'transactional'`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "claimed_by" text`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "claimed_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "claim_expires_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "IDX_mail_outbox_bulk_claimed" ON "mail_outbox"  ("claimed_at") WHERE lane = 'bulk'`);
        await queryRunner.query(`CREATE INDEX "IDX_mail_outbox_due" ON "mail_outbox"  ("lane", "next_attempt_at") WHERE status = 'pending'`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" ADD CONSTRAINT "CHK_mail_outbox_lane" CHECK (lane IN ('transactional', 'bulk'))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "mail_outbox" DROP CONSTRAINT "CHK_mail_outbox_lane"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_mail_outbox_due"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_mail_outbox_bulk_claimed"`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "claim_expires_at"`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "claimed_at"`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "claimed_by"`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "next_attempt_at"`);
        await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "lane"`);
    }

}
