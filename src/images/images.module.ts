import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Image, ImageVariant } from './image.entity';
import { ImageFilesController, ImagesController } from './images.controller';
import { ImagesPagesController } from './images.pages.controller';
import { ImagesRepository } from './images.repository';
import { ImagesService } from './images.service';

/** Pictures the coach uploads (covers, inline images, her photo), stored in PostgreSQL. */
@Module({
  imports: [TypeOrmModule.forFeature([Image, ImageVariant])],
  controllers: [ImagesController, ImageFilesController, ImagesPagesController],
  providers: [ImagesRepository, ImagesService],
  exports: [ImagesService],
})
export class ImagesModule {}
