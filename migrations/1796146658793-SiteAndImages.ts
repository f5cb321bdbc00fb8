import { MigrationInterface, QueryRunner } from "typeorm";

export class SiteAndImages1796146658793 implements MigrationInterface {
    name = 'SiteAndImages1796146658793'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "images" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "type" text NOT NULL, "width" integer NOT NULL, "height" integer NOT NULL, "alt" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_images_size" CHECK ("width" > 0 AND "height" > 0), CONSTRAINT "CHK_images_type" CHECK ("type" IN ('jpeg', 'png', 'webp', 'avif', 'gif')), CONSTRAINT "PK_1fe148074c6a1a91b63cb9ee3c9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "image_variants" ("image_id" uuid NOT NULL, "width" integer NOT NULL, "type" text NOT NULL, "height" integer NOT NULL, "bytes" bytea NOT NULL, "etag" text NOT NULL, CONSTRAINT "CHK_image_variants_type" CHECK ("type" IN ('jpeg', 'png', 'webp', 'avif', 'gif')), CONSTRAINT "PK_88ed765a9b98574a8c52c4c82d0" PRIMARY KEY ("image_id", "width", "type"))`);
        // Image bytes are already compressed: store them out of line without trying to compress them again.
        await queryRunner.query(`ALTER TABLE "image_variants" ALTER COLUMN "bytes" SET STORAGE EXTERNAL`);
        await queryRunner.query(`CREATE TABLE "site_settings" ("id" smallint NOT NULL DEFAULT '1', "name" text NOT NULL, "tagline" text NOT NULL DEFAULT '', "coach_name" text NOT NULL, "bio" text NOT NULL DEFAULT '', "photo_image_id" uuid, "about_markdown" text NOT NULL DEFAULT '', "footer" text NOT NULL DEFAULT '', "contact_email" text NOT NULL DEFAULT '', "links" jsonb NOT NULL DEFAULT '[]', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_site_settings_single" CHECK ("id" = 1), CONSTRAINT "PK_e4290e8371a166d7e066d131f6e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "image_variants" ADD CONSTRAINT "FK_eefcda781b381791a49de764256" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "site_settings" ADD CONSTRAINT "FK_780c2f86bfa14433bec640666e5" FOREIGN KEY ("photo_image_id") REFERENCES "images"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "site_settings" DROP CONSTRAINT "FK_780c2f86bfa14433bec640666e5"`);
        await queryRunner.query(`ALTER TABLE "image_variants" DROP CONSTRAINT "FK_eefcda781b381791a49de764256"`);
        await queryRunner.query(`DROP TABLE "site_settings"`);
        await queryRunner.query(`DROP TABLE "image_variants"`);
        await queryRunner.query(`DROP TABLE "images"`);
    }

}
