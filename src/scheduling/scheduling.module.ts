import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BusyTimeRegistry } from './busy-time';
import { SchedulingController } from './scheduling.controller';
import { SchedulingPagesController } from './scheduling.pages.controller';
import { SchedulingRepository } from './scheduling.repository';
import { SchedulingService } from './scheduling.service';
import { SessionTypesPagesController } from './session-types.pages.controller';
import { SlotFinder } from './slot-finder';
import { SlotSettingsCache } from './slot-settings-cache';

@Module({
  imports: [AccountsModule],
  controllers: [SchedulingController, SchedulingPagesController, SessionTypesPagesController],
  providers: [
    SchedulingService,
    SchedulingRepository,
    SlotFinder,
    SlotSettingsCache,
    BusyTimeRegistry,
  ],
  exports: [SchedulingService, BusyTimeRegistry],
})
export class SchedulingModule {}
