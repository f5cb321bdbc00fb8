import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progress sharing becomes opt-in (default off), and existing enrollments that never chose are
 * repaired. "Never chose": until now the only way to change share_progress was the member turning
 * it off (and maybe on again), and nothing recorded that they did; an enrollment with sharing ON is
 * indistinguishable from the old default, so it is treated as never chosen: turned off, marked
 * consent_reset_at, and the member is told once (mail + a notice on their steps page) that they
 * can turn it on. An enrollment with sharing OFF was a deliberate choice and is kept as it is
 * (its choice time is unknown; updated_at is the best record of it).
 */
export class ConsentOptIn1796146564767 implements MigrationInterface {
  name = 'ConsentOptIn1796146564767';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enrollments" ADD "share_progress_chosen_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "enrollments" ADD "consent_reset_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "enrollments" ADD "consent_notice_sent_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "enrollments" ALTER COLUMN "share_progress" SET DEFAULT false`);
    await queryRunner.query(`UPDATE "enrollments" SET "share_progress_chosen_at" = "updated_at" WHERE "share_progress" = false`);
    await queryRunner.query(
      `UPDATE "enrollments" SET "share_progress" = false, "consent_reset_at" = now(),
         -- Only members who still have the steps (or their writing) hear about it; abandoned checkouts don't.
         "consent_notice_sent_at" = CASE WHEN "status" IN ('active', 'refunded') THEN NULL ELSE now() END
       WHERE "share_progress" = true`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The repair is not undone: sharing that was never chosen stays off.
    await queryRunner.query(`ALTER TABLE "enrollments" ALTER COLUMN "share_progress" SET DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP COLUMN "consent_notice_sent_at"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP COLUMN "consent_reset_at"`);
    await queryRunner.query(`ALTER TABLE "enrollments" DROP COLUMN "share_progress_chosen_at"`);
  }
}
