import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImageType } from './image.entity';
import { ProcessedImage } from './processing';

export interface ImageRow {
  id: string;
  type: ImageType;
  width: number;
  height: number;
  alt: string;
  created_at: Date;
  variants: { width: number; height: number; type: ImageType }[];
}

const SELECT_WITH_VARIANTS = `
  SELECT i.id, i.type, i.width, i.height, i.alt, i.created_at,
    coalesce((SELECT json_agg(json_build_object('width', v.width, 'height', v.height, 'type', v.type) ORDER BY v.width, v.type)
              FROM image_variants v WHERE v.image_id = i.id), '[]'::json) AS variants
  FROM images i`;

/** The images and image_variants tables. */
@Injectable()
export class ImagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores an image and all its variants in one transaction; returns its id. */
  async insert(image: ProcessedImage, alt: string): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const [{ id }] = (await m.query(
        `INSERT INTO images (type, width, height, alt) VALUES ($1, $2, $3, $4) RETURNING id`,
        [image.type, image.width, image.height, alt],
      )) as { id: string }[];
      for (const v of image.variants) {
        await m.query(
          `INSERT INTO image_variants (image_id, width, height, type, bytes, etag) VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, v.width, v.height, v.type, v.bytes, v.etag],
        );
      }
      return id;
    });
  }

  async byIds(ids: string[]): Promise<ImageRow[]> {
    if (!ids.length) return [];
    return (await this.dataSource.query(`${SELECT_WITH_VARIANTS} WHERE i.id = ANY($1::uuid[])`, [
      ids,
    ])) as ImageRow[];
  }

  async newest(limit: number): Promise<ImageRow[]> {
    return (await this.dataSource.query(
      `${SELECT_WITH_VARIANTS} ORDER BY i.created_at DESC, i.id LIMIT $1`,
      [limit],
    )) as ImageRow[];
  }

  /** One variant's ETag, and its bytes unless the caller already has them (`knownEtag`). */
  async variant(
    id: string,
    width: number,
    type: ImageType,
    knownEtag: string | null,
  ): Promise<{ etag: string; bytes: Buffer | null } | null> {
    const rows = (await this.dataSource.query(
      `SELECT etag, CASE WHEN etag = $4 THEN NULL ELSE bytes END AS bytes
       FROM image_variants WHERE image_id = $1 AND width = $2 AND type = $3`,
      [id, width, type, knownEtag ?? ''],
    )) as { etag: string; bytes: Buffer | null }[];
    return rows[0] ?? null;
  }

  /** Deletes the image (its variants go with it); false when there was none. A foreign key in use throws 23503. */
  async delete(id: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`DELETE FROM images WHERE id = $1 RETURNING id`, [
      id,
    ])) as unknown[];
    return rows.length > 0;
  }

  async count(): Promise<number> {
    const [{ n }] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM images`)) as {
      n: number;
    }[];
    return n;
  }
}
