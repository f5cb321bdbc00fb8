import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BookingsModule } from '../bookings/bookings.module';
import { ContentModule } from '../content/content.module';
import { ClientsController } from './clients.controller';
import { ClientsPagesController } from './clients.pages.controller';
import { ClientsService } from './clients.service';
import { DataRightsService } from './data-rights.service';

/** The coach's client records, and every person's data rights (export, erasure). */
@Module({
  imports: [AccountsModule, BookingsModule, ContentModule],
  controllers: [ClientsController, ClientsPagesController],
  providers: [ClientsService, DataRightsService],
})
export class ClientsModule {}
