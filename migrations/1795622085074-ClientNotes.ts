import { MigrationInterface, QueryRunner } from 'typeorm';

export class ClientNotes1795622085074 implements MigrationInterface {
  name = 'ClientNotes1795622085074';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "client_notes" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "client_id" uuid NOT NULL, "author_id" uuid NOT NULL, "key_id" text NOT NULL, "nonce" bytea NOT NULL, "ciphertext" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_50a5ba00f574738e3359f85956a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_client_notes_client" ON "client_notes"  ("client_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "client_notes" ADD CONSTRAINT "FK_48ae9088f1955fbd393aa76e6df" FOREIGN KEY ("client_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "client_notes" ADD CONSTRAINT "FK_b0d028894d91b54210f2b4290d2" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "client_notes" DROP CONSTRAINT "FK_b0d028894d91b54210f2b4290d2"`,
    );
    await queryRunner.query(
      `ALTER TABLE "client_notes" DROP CONSTRAINT "FK_48ae9088f1955fbd393aa76e6df"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_client_notes_client"`);
    await queryRunner.query(`DROP TABLE "client_notes"`);
  }
}
