import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { CoachProgramPagesController } from './coach-program.pages.controller';
import { MyProgramController, ProgramController } from './program.controller';
import { ProgramPagesController } from './program.pages.controller';
import { ProgramDataRightsService } from './program-data-rights.service';
import { EnrollmentsRepository } from './enrollments.repository';
import { EnrollmentsService } from './enrollments.service';
import { ProgramRepository } from './program.repository';
import { ProgramService } from './program.service';
import { ProgressService } from './progress.service';
import { ReflectionsRepository } from './reflections.repository';

@Module({
  imports: [AccountsModule, AuditModule],
  controllers: [
    ProgramController,
    MyProgramController,
    ProgramPagesController,
    CoachProgramPagesController,
  ],
  providers: [
    ProgramRepository,
    EnrollmentsRepository,
    ReflectionsRepository,
    ProgramService,
    ProgressService,
    EnrollmentsService,
    ProgramDataRightsService,
  ],
  exports: [ProgramService, ProgressService, EnrollmentsService, ProgramDataRightsService],
})
export class ProgramModule {}
