import { MigrationInterface, QueryRunner } from 'typeorm';

export class AppSecrets1795624696273 implements MigrationInterface {
  name = 'AppSecrets1795624696273';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "app_secrets" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "name" text NOT NULL, "key_id" text NOT NULL, "nonce" bytea NOT NULL, "ciphertext" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bfcdc1066e2265da09890961d83" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_app_secrets_name" ON "app_secrets"  ("name") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_app_secrets_name"`);
    await queryRunner.query(`DROP TABLE "app_secrets"`);
  }
}
