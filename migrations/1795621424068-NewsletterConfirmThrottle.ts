import { MigrationInterface, QueryRunner } from 'typeorm';

export class NewsletterConfirmThrottle1795621424068 implements MigrationInterface {
  name = 'NewsletterConfirmThrottle1795621424068';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "newsletter_subscribers" ADD "confirm_sent_at" TIMESTAMP WITH TIME ZONE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "newsletter_subscribers" DROP COLUMN "confirm_sent_at"`);
  }
}
