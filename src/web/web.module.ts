import { Module } from '@nestjs/common';
import { ContentModule } from '../content/content.module';
import { CoachPagesController } from './coach.pages.controller';
import { HomePagesController } from './home.pages.controller';

@Module({ imports: [ContentModule], controllers: [HomePagesController, CoachPagesController] })
export class WebModule {}
