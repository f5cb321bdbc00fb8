import { MigrationInterface, QueryRunner } from 'typeorm';

/** Mail stored as its kind and parameters, rendered by the mail worker at delivery. */
export class MailRenderAtDelivery1796148000000 implements MigrationInterface {
  name = 'MailRenderAtDelivery1796148000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_outbox" ADD "params" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "params"`);
  }
}
