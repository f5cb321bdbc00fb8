import { Module } from '@nestjs/common';
import { CoachPagesController } from './coach.pages.controller';
import { HomePagesController } from './home.pages.controller';

@Module({ controllers: [HomePagesController, CoachPagesController] })
export class WebModule {}
