import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { SeedService } from './seed.service';

@Module({ imports: [AccountsModule, SchedulingModule], providers: [SeedService], exports: [SeedService] })
export class SeedModule {}
