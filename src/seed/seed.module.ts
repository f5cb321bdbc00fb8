import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ContentModule } from '../content/content.module';
import { ProgramModule } from '../program/program.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { SeedService } from './seed.service';

@Module({
  imports: [AccountsModule, SchedulingModule, ContentModule, ProgramModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedModule {}
