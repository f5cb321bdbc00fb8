import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SiteIdentity } from './site-defaults';
import { SiteSettings } from './site-settings.entity';

/** The site_settings table (one row). */
@Injectable()
export class SiteRepository {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<SiteSettings | null> {
    return this.dataSource.getRepository(SiteSettings).findOne({ where: { id: 1 } });
  }

  /** Writes the whole identity (insert or replace). */
  async save(identity: SiteIdentity): Promise<void> {
    await this.dataSource.getRepository(SiteSettings).save({ id: 1, ...identity });
  }

  /** Writes `identity` only when the site has never been set (the demo seed). */
  async insertIfMissing(identity: SiteIdentity): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(SiteSettings)
      .values({ id: 1, ...identity })
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
