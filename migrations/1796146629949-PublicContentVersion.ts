import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public content version (see src/public-cache): one row, bumped in the same transaction as
 * every change that public pages show, by triggers on the tables those pages read. A trigger can't
 * be forgotten by a new code path (a job, an erasure, a bulk fix in psql); the row lock it takes
 * is held only by transactions that change public content.
 */
export class PublicContentVersion1796146629949 implements MigrationInterface {
  name = 'PublicContentVersion1796146629949';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "public_content_version" ("id" smallint NOT NULL, "version" bigint NOT NULL DEFAULT '1', "bumped_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_public_content_version_single_row" CHECK ("id" = 1), CONSTRAINT "PK_a13171b1b0d24d8f68e205ed218" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "public_content_version" ("id", "version") VALUES (1, 1)`);
    await queryRunner.query(`
      CREATE FUNCTION bump_public_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE public_content_version SET version = version + 1, bumped_at = now() WHERE id = 1;
        RETURN NULL;
      END $$`);
    // Posts: any change except the HTML re-rendered lazily on read (posts.repository.ts).
    await queryRunner.query(`
      CREATE TRIGGER public_content_posts_write AFTER INSERT OR DELETE ON posts
      FOR EACH STATEMENT EXECUTE FUNCTION bump_public_content_version()`);
    await queryRunner.query(`
      CREATE TRIGGER public_content_posts_update AFTER UPDATE ON posts FOR EACH ROW
      WHEN ((to_jsonb(OLD) - 'body_html' - 'rendered_with') IS DISTINCT FROM (to_jsonb(NEW) - 'body_html' - 'rendered_with'))
      EXECUTE FUNCTION bump_public_content_version()`);
    // Comments show only once approved; pending ones (and spam) change no public page.
    await queryRunner.query(`
      CREATE TRIGGER public_content_comments_insert AFTER INSERT ON comments FOR EACH ROW
      WHEN (NEW.status = 'approved') EXECUTE FUNCTION bump_public_content_version()`);
    await queryRunner.query(`
      CREATE TRIGGER public_content_comments_update AFTER UPDATE ON comments FOR EACH ROW
      WHEN ((OLD.status = 'approved' OR NEW.status = 'approved') AND to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW))
      EXECUTE FUNCTION bump_public_content_version()`);
    await queryRunner.query(`
      CREATE TRIGGER public_content_comments_delete AFTER DELETE ON comments FOR EACH ROW
      WHEN (OLD.status = 'approved') EXECUTE FUNCTION bump_public_content_version()`);
    for (const table of ['post_ratings', 'session_types']) {
      await queryRunner.query(`
        CREATE TRIGGER public_content_${table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION bump_public_content_version()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['post_ratings', 'session_types']) await queryRunner.query(`DROP TRIGGER public_content_${table} ON ${table}`);
    for (const name of ['comments_delete', 'comments_update', 'comments_insert']) await queryRunner.query(`DROP TRIGGER public_content_${name} ON comments`);
    for (const name of ['posts_update', 'posts_write']) await queryRunner.query(`DROP TRIGGER public_content_${name} ON posts`);
    await queryRunner.query(`DROP FUNCTION bump_public_content_version()`);
    await queryRunner.query(`DROP TABLE "public_content_version"`);
  }
}
