import { Injectable } from '@nestjs/common';
import { todayIn } from '../bookings/booking-view';
import { BookingsService } from '../bookings/bookings.service';
import { Clock } from '../common/clock';
import { formatShort } from '../common/dates';
import { CommentsService } from '../content/comments/comments.service';
import { NewsletterService } from '../content/newsletter/newsletter.service';
import { MailService } from '../mail/mail.service';
import { PaymentsService } from '../payments/payments.service';
import { SchedulingService } from '../scheduling/scheduling.service';
import { DashboardView, dashboardView } from './dashboard-view';
import { linkPieces, MailPiece } from './outbox-view';

const WEEK = 7 * 86_400_000;

/** The coach's day at a glance, from the owning modules' exported services (no SQL here). */
@Injectable()
export class DashboardService {
  constructor(
    private readonly bookings: BookingsService,
    private readonly scheduling: SchedulingService,
    private readonly comments: CommentsService,
    private readonly newsletter: NewsletterService,
    private readonly payments: PaymentsService,
    private readonly mail: MailService,
    private readonly clock: Clock,
  ) {}

  async forCoach(coachId: string): Promise<DashboardView> {
    const now = this.clock.now();
    const [settings, upcoming, pendingComments, newSubscribers, payments] = await Promise.all([
      this.scheduling.settings(coachId),
      this.bookings.upcoming(coachId, now),
      this.comments.pendingCount(),
      this.newsletter.confirmedSince(new Date(now.getTime() - WEEK)),
      this.payments.list(20),
    ]);
    const zone = settings.timeZone;
    const today = todayIn(zone, now);
    return dashboardView({
      displayName: settings.displayName,
      zone,
      sessions: upcoming.map((b) => ({
        day: todayIn(zone, new Date(b.start)),
        when: formatShort(b.start, zone),
        name: b.name,
        type: b.sessionTypeName,
      })),
      today,
      pendingComments,
      newSubscribers,
      payments: payments
        .filter((p) => p.status !== 'pending' && p.status !== 'expired')
        .filter((p) => now.getTime() - (p.paidAt ?? p.createdAt).getTime() <= WEEK)
        .map((p) => ({
          description: p.description,
          amountText: p.amountText,
          status: p.status,
          at: formatShort(p.paidAt ?? p.createdAt, zone),
        })),
    });
  }

  /** The outbox page: the latest mails, times in the coach's zone, links clickable. */
  async outbox(coachId: string): Promise<
    {
      subject: string;
      to: string;
      kind: string;
      status: string;
      createdAt: Date;
      when: string;
      pieces: MailPiece[];
    }[]
  > {
    const zone = (await this.scheduling.settings(coachId)).timeZone;
    return (await this.mail.list(100)).map((m) => ({
      subject: m.subject,
      to: m.to,
      kind: m.kind,
      status: m.status,
      createdAt: m.createdAt,
      when: formatShort(m.createdAt, zone),
      pieces: linkPieces(m.text),
    }));
  }
}
