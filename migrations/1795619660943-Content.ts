import { MigrationInterface, QueryRunner } from 'typeorm';

export class Content1795619660943 implements MigrationInterface {
  name = 'Content1795619660943';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "posts" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "author_id" uuid, "title" text NOT NULL, "slug" text NOT NULL, "excerpt" text NOT NULL DEFAULT '', "body" text NOT NULL DEFAULT '', "body_html" text NOT NULL DEFAULT '', "rendered_with" integer NOT NULL DEFAULT '0', "tags" text array NOT NULL DEFAULT '{}', "cover_image_url" text, "cover_image_alt" text, "status" text NOT NULL DEFAULT 'draft', "published_at" TIMESTAMP WITH TIME ZONE, "notify_requested_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_posts_published_at" CHECK ("status" = 'draft' OR "published_at" IS NOT NULL), CONSTRAINT "CHK_posts_status" CHECK ("status" IN ('draft', 'published')), CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_posts_published" ON "posts"  ("status", "published_at") `,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_posts_slug" ON "posts"  ("slug") `);
    // Added by hand: TypeORM can't declare GIN (the entity marks this index synchronize: false).
    await queryRunner.query(`CREATE INDEX "IDX_posts_tags" ON "posts" USING gin ("tags")`);
    await queryRunner.query(
      `CREATE TABLE "comments" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "post_id" uuid NOT NULL, "user_id" uuid, "author_name" text NOT NULL, "body" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "moderated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_comments_name_length" CHECK (char_length("author_name") BETWEEN 1 AND 100), CONSTRAINT "CHK_comments_body_length" CHECK (char_length("body") BETWEEN 1 AND 5000), CONSTRAINT "CHK_comments_status" CHECK ("status" IN ('pending', 'approved', 'rejected')), CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_status" ON "comments"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_post_status" ON "comments"  ("post_id", "status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "newsletter_subscribers" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "email" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "confirm_token_hash" text, "confirm_expires_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "unsubscribed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_newsletter_subscribers_status" CHECK ("status" IN ('pending', 'confirmed', 'unsubscribed')), CONSTRAINT "PK_38f9333e9961b2fdb589128d19b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_newsletter_subscribers_status" ON "newsletter_subscribers"  ("status", "confirmed_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_newsletter_subscribers_confirm_token" ON "newsletter_subscribers"  ("confirm_token_hash") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_newsletter_subscribers_email" ON "newsletter_subscribers"  ("email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "newsletter_deliveries" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "post_id" uuid NOT NULL, "subscriber_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bfe52f887389e8a68fc4a6b487e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_newsletter_deliveries_subscriber" ON "newsletter_deliveries"  ("subscriber_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_newsletter_deliveries_post_subscriber" ON "newsletter_deliveries"  ("post_id", "subscriber_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "post_ratings" ("post_id" uuid NOT NULL, "user_id" uuid NOT NULL, "stars" smallint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_post_ratings_stars" CHECK ("stars" BETWEEN 1 AND 5), CONSTRAINT "PK_fb14f19542e63ed8e87cccbc0ff" PRIMARY KEY ("post_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_post_ratings_user" ON "post_ratings"  ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "FK_312c63be865c81b922e39c2475e" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_259bf9825d9d198608d1b46b0b5" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" ADD CONSTRAINT "FK_4c675567d2a58f0b07cef09c13d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "newsletter_deliveries" ADD CONSTRAINT "FK_0d8669f639d8a677114d8754a0d" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "newsletter_deliveries" ADD CONSTRAINT "FK_5c650c52a94d2560fd221d0993b" FOREIGN KEY ("subscriber_id") REFERENCES "newsletter_subscribers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_ratings" ADD CONSTRAINT "FK_d0c3ef2c6c5d74854f251d683d7" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_ratings" ADD CONSTRAINT "FK_950cc6122a3e4198c0eaeef516d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "post_ratings" DROP CONSTRAINT "FK_950cc6122a3e4198c0eaeef516d"`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_ratings" DROP CONSTRAINT "FK_d0c3ef2c6c5d74854f251d683d7"`,
    );
    await queryRunner.query(
      `ALTER TABLE "newsletter_deliveries" DROP CONSTRAINT "FK_5c650c52a94d2560fd221d0993b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "newsletter_deliveries" DROP CONSTRAINT "FK_0d8669f639d8a677114d8754a0d"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" DROP CONSTRAINT "FK_4c675567d2a58f0b07cef09c13d"`,
    );
    await queryRunner.query(
      `ALTER TABLE "comments" DROP CONSTRAINT "FK_259bf9825d9d198608d1b46b0b5"`,
    );
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "FK_312c63be865c81b922e39c2475e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_post_ratings_user"`);
    await queryRunner.query(`DROP TABLE "post_ratings"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_newsletter_deliveries_post_subscriber"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_newsletter_deliveries_subscriber"`);
    await queryRunner.query(`DROP TABLE "newsletter_deliveries"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_newsletter_subscribers_email"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_newsletter_subscribers_confirm_token"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_newsletter_subscribers_status"`);
    await queryRunner.query(`DROP TABLE "newsletter_subscribers"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_post_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_comments_status"`);
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_posts_tags"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_posts_slug"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_posts_published"`);
    await queryRunner.query(`DROP TABLE "posts"`);
  }
}
