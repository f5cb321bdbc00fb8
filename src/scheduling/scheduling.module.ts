import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SchedulingController } from './scheduling.controller';
import { SchedulingPagesController } from './scheduling.pages.controller';
import { SchedulingService } from './scheduling.service';
import { SessionTypesPagesController } from './session-types.pages.controller';

@Module({
  imports: [AccountsModule],
  controllers: [SchedulingController, SchedulingPagesController, SessionTypesPagesController],
  providers: [SchedulingService],
  exports: [SchedulingService],
})
export class SchedulingModule {}
