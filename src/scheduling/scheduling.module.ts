import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BusyTimeRegistry } from './busy-time';
import { SchedulingController } from './scheduling.controller';
import { SchedulingPagesController } from './scheduling.pages.controller';
import { SchedulingService } from './scheduling.service';
import { SessionTypesPagesController } from './session-types.pages.controller';

@Module({
  imports: [AccountsModule],
  controllers: [SchedulingController, SchedulingPagesController, SessionTypesPagesController],
  providers: [SchedulingService, BusyTimeRegistry],
  exports: [SchedulingService, BusyTimeRegistry],
})
export class SchedulingModule {}
