import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MyProgramController, ProgramController } from './program.controller';
import { EnrollmentsService } from './enrollments.service';
import { ProgramService } from './program.service';
import { ProgressService } from './progress.service';

@Module({
  imports: [AccountsModule],
  controllers: [ProgramController, MyProgramController],
  providers: [ProgramService, ProgressService, EnrollmentsService],
  exports: [ProgramService, ProgressService, EnrollmentsService],
})
export class ProgramModule {}
