import { MigrationInterface, QueryRunner } from 'typeorm';

export class PreferredNames1796146564765 implements MigrationInterface {
  name = 'PreferredNames1796146564765';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "preferred_name" text`);
    await queryRunner.query(`ALTER TABLE "users" ADD "pronouns" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "pronouns"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "preferred_name"`);
  }
}
