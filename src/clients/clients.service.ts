import { Inject, Injectable, Optional } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { addressName } from '../accounts/person-name';
import { User } from '../accounts/user.entity';
import { notFound } from '../common/errors';
import { BookingsDataRightsService } from '../bookings/bookings-data-rights.service';
import { PAYMENTS, PaymentsPort } from '../payments/payable';
import { EnrollmentsService } from '../program/enrollments.service';
import { ClientDetailDto, ClientSummaryDto } from './dto/clients.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toClientSummary(u: User): ClientSummaryDto {
  return {
    id: u.id,
    name: u.name,
    preferredName: u.preferredName,
    pronouns: u.pronouns,
    displayName: addressName(u),
    email: u.email,
    hasAccount: u.passwordHash !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

/** The coach's view of her clients: who they are, what they booked and paid, their intake answers. */
@Injectable()
export class ClientsService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly bookings: BookingsDataRightsService,
    private readonly enrollments: EnrollmentsService,
    @Optional() @Inject(PAYMENTS) private readonly payments: PaymentsPort | null,
  ) {}

  async list(search?: string): Promise<ClientSummaryDto[]> {
    return (await this.accounts.searchClients(search)).map(toClientSummary);
  }

  /** A client the coach can see; anything else (the coach, unknown ids) is 404. */
  async client(id: string): Promise<User> {
    const user = UUID.test(id) ? await this.accounts.findById(id) : null;
    if (!user || user.role !== 'client') throw notFound('Client');
    return user;
  }

  async detail(id: string): Promise<ClientDetailDto> {
    const user = await this.client(id);
    const bookings = await this.bookings.bookingsOf(user.id);
    const payments = this.payments ? await this.payments.listForCustomer(user.email) : [];
    // The program's own list shows progress only where the member shares it.
    const enrollment =
      (await this.enrollments.coachList()).find((e) => e.member.id === user.id) ?? null;
    return {
      profile: { ...toClientSummary(user), timeZone: user.timeZone },
      intake: bookings
        .filter((b) => b.intake && Object.keys(b.intake).length > 0)
        .map((b) => ({
          bookingId: b.id,
          start: b.start,
          answers: Object.fromEntries(b.intakeAnswers.map((a) => [a.question, a.answer])),
        })),
      bookings: bookings.map(
        ({ id: bookingId, status, sessionType, start, end, timeZone, price, currency, notes }) => ({
          id: bookingId,
          status,
          sessionType,
          start,
          end,
          timeZone,
          price,
          currency,
          notes,
        }),
      ),
      payments: payments.map((p) => ({
        id: p.id,
        kind: p.kind,
        description: p.description,
        amount: p.amount,
        currency: p.currency,
        status: p.status,
        refundedAmount: p.refundedAmount,
        createdAt: p.createdAt,
      })),
      enrollment: enrollment && {
        id: enrollment.id,
        status: enrollment.status,
        shareProgress: enrollment.shareProgress,
        activatedAt: enrollment.activatedAt,
        progress: enrollment.progress,
      },
    };
  }
}
