import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The public content version row (public_content_version, id = 1). */
@Injectable()
export class PublicCacheRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One primary-key read of one tiny row. */
  async currentVersion(): Promise<number> {
    const rows: { version: string }[] = await this.dataSource.query(
      `SELECT version FROM public_content_version WHERE id = 1`,
    );
    return rows.length ? Number(rows[0].version) : 0;
  }

  /** Bumps the version, inside the caller's transaction when given one (visible at its commit). */
  async bump(manager?: EntityManager): Promise<number> {
    const rows: { version: string }[] = await (manager ?? this.dataSource.manager).query(
      `UPDATE public_content_version SET version = version + 1, bumped_at = now() WHERE id = 1 RETURNING version`,
    );
    return rows.length ? Number(rows[0].version) : 0;
  }
}
