import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { User } from '../accounts/user.entity';
import { BookingRecord, BookingsDataRightsService } from '../bookings/bookings-data-rights.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { ContentDataRightsService, ContentExport } from '../content/content-data-rights.service';
import { PAYMENTS, PaymentsPort, PaymentSummary } from '../payments/payable';
import { ProgramDataRightsService, ProgramExport } from '../program/program-data-rights.service';

export interface PersonalDataExport {
  generatedAt: string;
  account: { id: string; email: string; name: string; role: string; timeZone: string | null; createdAt: string };
  bookings: BookingRecord[];
  payments: PaymentSummary[];
  content: ContentExport;
  program: ProgramExport;
}

/**
 * GET /api/me/export and DELETE /api/me: everything Mend holds about a person, gathered from each
 * module's own data-rights service (no module's tables are read here), and erased in one
 * transaction.
 */
@Injectable()
export class DataRightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly bookings: BookingsDataRightsService,
    private readonly content: ContentDataRightsService,
    private readonly program: ProgramDataRightsService,
    private readonly clock: Clock,
    @Optional() @Inject(PAYMENTS) private readonly payments: PaymentsPort | null,
  ) {}

  async exportFor(user: User): Promise<PersonalDataExport> {
    return {
      generatedAt: this.clock.now().toISOString(),
      account: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        timeZone: user.timeZone,
        createdAt: user.createdAt.toISOString(),
      },
      bookings: await this.bookings.bookingsOf(user.id),
      payments: this.payments ? await this.payments.listForCustomer(user.email) : [],
      content: await this.content.exportFor(user),
      program: await this.program.exportFor(user),
    };
  }

  /**
   * Erases the account and its personal data: future sessions are cancelled coach-side (paid
   * ones refunded in full), payment records stay for the books without the email, comments,
   * ratings, the newsletter subscription, 12 Steps progress and reflections go, and the user row (with sessions, tokens and
   * bookings) is deleted. One transaction: all of it or none.
   */
  async erase(user: User, password: string): Promise<void> {
    if (user.role === 'coach') {
      throw new DomainError('FORBIDDEN', 'The practice’s coach account can’t be deleted from here.');
    }
    if (!(await this.accounts.checkPassword(user.id, password))) {
      throw new DomainError('WRONG_PASSWORD', 'That password is not right, so nothing was deleted.');
    }
    await this.dataSource.transaction(async (m) => {
      await this.bookings.eraseFor(m, user);
      if (this.payments) await this.payments.anonymiseCustomer(m, user.email);
      await this.content.eraseFor(m, user);
      await this.program.eraseFor(m, user);
      await this.accounts.deleteUser(m, user.id);
    });
  }
}
