import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { BookingsModule } from '../bookings/bookings.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '../content/content.module';
import { ProgramModule } from '../program/program.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { ClientNote } from './client-note.entity';
import { ClientNotesRepository } from './client-notes.repository';
import { ClientNotesService } from './client-notes.service';
import { ClientsController } from './clients.controller';
import { ClientsPagesController } from './clients.pages.controller';
import { ClientsService } from './clients.service';
import { DataRightsService } from './data-rights.service';

/** The coach's client records, and every person's data rights (export, erasure). */
@Module({
  imports: [
    AccountsModule,
    AuditModule,
    BookingsModule,
    ContentModule,
    ProgramModule,
    SchedulingModule,
    TypeOrmModule.forFeature([ClientNote]),
  ],
  controllers: [ClientsController, ClientsPagesController],
  providers: [ClientsService, DataRightsService, ClientNotesRepository, ClientNotesService],
})
export class ClientsModule {}
