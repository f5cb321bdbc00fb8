import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { isCoach } from '../accounts/coach';
import { addressName } from '../accounts/person-name';
import { User } from '../accounts/user.entity';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { AuditEntryDto } from '../audit/dto/audit.dto';
import { BookingRecord, BookingsDataRightsService } from '../bookings/bookings-data-rights.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { ContentDataRightsService, ContentExport } from '../content/content-data-rights.service';
import { MailService } from '../mail/mail.service';
import { PAYMENTS, PaymentsPort, PaymentSummary } from '../payments/payable';
import { ProgramDataRightsService, ProgramExport } from '../program/program-data-rights.service';
import { deletionScopeText } from '../accounts/deletion-scope';

export interface PersonalDataExport {
  generatedAt: string;
  account: {
    id: string;
    email: string;
    name: string;
    preferredName: string | null;
    pronouns: string | null;
    role: string;
    timeZone: string | null;
    createdAt: string;
  };
  bookings: BookingRecord[];
  payments: PaymentSummary[];
  content: ContentExport;
  program: ProgramExport;
  /** The audit trail's entries about you: reads of your notes or shared reflections, your exports. */
  audit: AuditEntryDto[];
}

/**
 * GET /api/me/export and DELETE /api/me: everything Mend holds about a person, gathered from each
 * module's own data-rights service (no module's tables are read here), and erased in one
 * transaction. Both are written to the audit trail.
 */
@Injectable()
export class DataRightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly bookings: BookingsDataRightsService,
    private readonly content: ContentDataRightsService,
    private readonly program: ProgramDataRightsService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Optional() @Inject(PAYMENTS) private readonly payments: PaymentsPort | null,
  ) {}

  /** The export is recorded first, so it lists itself among the entries about the person. */
  async exportFor(user: User, ctx: AuditContext): Promise<PersonalDataExport> {
    await this.audit.exported(ctx, user.id);
    return {
      generatedAt: this.clock.now().toISOString(),
      account: {
        id: user.id,
        email: user.email,
        name: user.name,
        preferredName: user.preferredName,
        pronouns: user.pronouns,
        role: user.role,
        timeZone: user.timeZone,
        createdAt: user.createdAt.toISOString(),
      },
      bookings: await this.bookings.bookingsOf(user.id),
      payments: this.payments ? await this.payments.listForCustomer(user.email) : [],
      content: await this.content.exportFor(user),
      program: await this.program.exportFor(user),
      audit: await this.audit.aboutPerson(user.id),
    };
  }

  /**
   * Erases the account and its personal data, as deletion-scope.ts states: future sessions are
   * cancelled coach-side (paid ones refunded in full), payment records stay for the books without
   * the email, comments, ratings, the newsletter subscription, 12 Steps progress and reflections,
   * and Mend's copies of mail to or about the person go, and the user row (with sessions, tokens,
   * bookings and the coach's notes) is deleted. The audit entry (ids only) and a final mail saying
   * what was erased and what is kept are written in the same transaction: all of it or none.
   */
  async erase(user: User, password: string, ctx: AuditContext): Promise<void> {
    if (isCoach(user)) {
      throw new DomainError(
        'FORBIDDEN',
        'The practice’s coach account can’t be deleted from here.',
      );
    }
    if (!(await this.accounts.checkPassword(user.id, password))) {
      throw new DomainError(
        'WRONG_PASSWORD',
        'That password is not right, so nothing was deleted.',
      );
    }
    await this.dataSource.transaction(async (m) => {
      await this.mail.forgetRecipient(m, user.email);
      await this.bookings.eraseFor(m, user);
      if (this.payments) await this.payments.anonymiseCustomer(m, user.email);
      await this.content.eraseFor(m, user);
      await this.program.eraseFor(m, user);
      await this.accounts.deleteUser(m, user.id);
      await this.audit.erased(m, ctx, user.id);
      await this.mail.enqueue(m, {
        kind: 'account_erased',
        to: user.email,
        subject: 'Your account is deleted',
        text: `Hello ${addressName(user)},\n\nAs you asked, your account and your personal data are erased. This is the last mail you will get from us about it.\n\n${deletionScopeText()}\n\nThank you for the time you spent with us. Take good care.\n\n— Mend`,
      });
    });
  }
}
