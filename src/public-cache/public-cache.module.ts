import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PublicCacheHooks } from './public-cache.hooks';
import { PublicCacheRepository } from './public-cache.repository';
import { PublicCache } from './public-cache.service';
import { PublicContentVersion } from './public-content-version.entity';

/** Anonymous public pages from memory, invalidated by one version row shared by every instance. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([PublicContentVersion])],
  providers: [PublicCacheRepository, PublicCache, PublicCacheHooks],
  exports: [PublicCache],
})
export class PublicCacheModule {}
