import { MigrationInterface, QueryRunner } from "typeorm";

export class PostCoversAndScheduling1796146909572 implements MigrationInterface {
    name = 'PostCoversAndScheduling1796146909572'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "posts" ADD "cover_image_id" uuid`);
        await queryRunner.query(`ALTER TABLE "posts" ADD "cover_alt" text`);
        await queryRunner.query(`ALTER TABLE "posts" ADD "publish_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "posts" ADD "notify_on_publish" boolean NOT NULL DEFAULT false`);
        // External cover URLs give way to uploads. Nothing is lost: a post that had one keeps the
        // picture, with its description, as the first image of its body (re-rendered on next read),
        // until the coach uploads a cover.
        await queryRunner.query(`
            UPDATE "posts" SET
              "body" = '![' || replace(replace(replace(coalesce("cover_image_alt", ''), '\\', '\\\\'), '[', '\\['), ']', '\\]') || '](<'
                       || replace(replace("cover_image_url", '<', '%3C'), '>', '%3E') || '>)' || chr(10) || chr(10) || "body",
              "rendered_with" = 0
            WHERE "cover_image_url" IS NOT NULL AND "cover_image_url" <> ''`);
        await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "cover_image_url"`);
        await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "cover_image_alt"`);
        await queryRunner.query(`CREATE INDEX "IDX_posts_publish_at" ON "posts"  ("publish_at") WHERE "publish_at" IS NOT NULL AND "status" = 'draft'`);
        await queryRunner.query(`ALTER TABLE "posts" ADD CONSTRAINT "CHK_posts_cover_alt" CHECK ("cover_image_id" IS NULL OR ("status" = 'draft' AND "publish_at" IS NULL) OR length(btrim(coalesce("cover_alt", ''))) > 0)`);
        await queryRunner.query(`ALTER TABLE "posts" ADD CONSTRAINT "FK_a96dc8608c6cd2d6f88b8602423" FOREIGN KEY ("cover_image_id") REFERENCES "images"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "FK_a96dc8608c6cd2d6f88b8602423"`);
        await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "CHK_posts_cover_alt"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_posts_publish_at"`);
        await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "notify_on_publish"`);
        await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "publish_at"`);
        await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "cover_alt"`);
        await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "cover_image_id"`);
        await queryRunner.query(`ALTER TABLE "posts" ADD "cover_image_alt" text`);
        await queryRunner.query(`ALTER TABLE "posts" ADD "cover_image_url" text`);
    }

}
