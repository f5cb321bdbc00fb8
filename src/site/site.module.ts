import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImagesModule } from '../images/images.module';
import { MAIL_IDENTITY } from '../mail/mail-identity';
import { SiteSettings } from './site-settings.entity';
import { SiteController } from './site.controller';
import { SitePagesController } from './site.pages.controller';
import { SiteRepository } from './site.repository';
import { SiteService } from './site.service';

/**
 * The practice's identity (name, coach, bio, photo, About page, footer, links). Global, because
 * it heads every page and signs every mail.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SiteSettings]), ImagesModule],
  controllers: [SiteController, SitePagesController],
  providers: [SiteRepository, SiteService, { provide: MAIL_IDENTITY, useExisting: SiteService }],
  exports: [SiteService, MAIL_IDENTITY],
})
export class SiteModule {}
