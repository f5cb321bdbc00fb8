import { MigrationInterface, QueryRunner } from 'typeorm';

/** The site's settings head every public page: a change to them bumps the public content version too. */
export class PublicContentSite1796147000000 implements MigrationInterface {
  name = 'PublicContentSite1796147000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TRIGGER public_content_site_settings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON site_settings
      FOR EACH STATEMENT EXECUTE FUNCTION bump_public_content_version()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER public_content_site_settings ON site_settings`);
  }
}
