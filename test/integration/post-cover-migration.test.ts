import { DataSource } from 'typeorm';
import { PostCoversAndScheduling1796146909572 } from '../../migrations/1796146909572-PostCoversAndScheduling';
import { renderMarkdown } from '../../src/common/markdown';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, dropTestDatabase } from '../support/database';

/** External cover URLs give way to uploads without losing a picture or its description. */
describe('Migration: post covers', () => {
  it('moves an external cover, with its alt text, into the start of the post’s body', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
    const migration = new PostCoversAndScheduling1796146909572();
    const runner = ds.createQueryRunner();
    try {
      await migration.down(runner); // the schema as it was, with cover_image_url / cover_image_alt
      await ds.query(
        `INSERT INTO posts (title, slug, body, cover_image_url, cover_image_alt, status, published_at, rendered_with)
         VALUES ('Old', 'old', 'First line.', 'https://cdn.example/a b)c.jpg', 'Two [bright] cups \\ of tea', 'published', now(), 1),
                ('Plain', 'plain', 'No cover.', NULL, NULL, 'draft', NULL, 1)`,
      );
      await migration.up(runner);
      const rows = await ds.query(
        `SELECT slug, body, rendered_with, cover_image_id, cover_alt FROM posts ORDER BY slug`,
      );
      expect(rows[0]).toEqual({
        slug: 'old',
        body: '![Two \\[bright\\] cups \\\\ of tea](<https://cdn.example/a b)c.jpg>)\n\nFirst line.',
        rendered_with: 0,
        cover_image_id: null,
        cover_alt: null,
      });
      expect(rows[1]).toMatchObject({ slug: 'plain', body: 'No cover.', rendered_with: 1 });
      // The Markdown renders to the same picture with the same description.
      expect(renderMarkdown(rows[0].body)).toContain(
        '<img src="https://cdn.example/a%20b)c.jpg" alt="Two [bright] cups \\ of tea" />',
      );
    } finally {
      await runner.release();
      await ds.destroy();
      await dropTestDatabase(db.name);
    }
  });
});
