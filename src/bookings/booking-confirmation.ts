import { Injectable, OnModuleInit } from '@nestjs/common';
import { ComposedStatement } from '../database/composed-statement';
import { MailService } from '../mail/mail.service';
import { RenderedMail } from '../mail/mail.types';
import { BookingFacts, coachNoticeMail, confirmedMail } from './booking-mails';
import { BookingSupport, CoachFacts, TypeFacts } from './booking-support';
import { Booking } from './booking.entity';

const CLIENT_KIND = 'booking_confirmed';
const COACH_KIND = 'booking_coach_notice';

/**
 * What a new booking's two mails are rendered from, taken in the booking's transaction (so they
 * say what was booked, whenever they are sent). The coach's name, address and zone are looked up
 * when rendering.
 */
interface ConfirmationParams {
  booking: {
    id: string;
    coachId: string;
    sequence: number;
    startAt: string;
    endAt: string;
    status: Booking['status'];
    clientName: string;
    clientEmail: string;
    clientTimeZone: string;
    price: number;
    notes: string | null;
    meetingUrl: string | null;
  };
  type: TypeFacts;
  client: { preferredName: string | null; pronouns: string | null };
  /** DTSTAMP of the invites: when it was booked. */
  stamp: string;
}

/**
 * The confirmation of a new booking (to the client) and the notice (to the coach), stored in the
 * booking's transaction as parameters (one INSERT for both) and rendered by the mail worker after
 * commit: booking creation does no rendering and no lookup for its mails.
 */
@Injectable()
export class BookingConfirmation implements OnModuleInit {
  constructor(
    private readonly mail: MailService,
    private readonly support: BookingSupport,
  ) {}

  onModuleInit(): void {
    this.mail.registerRenderer(CLIENT_KIND, { render: (p) => this.render(p, 'client') });
    this.mail.registerRenderer(COACH_KIND, { render: (p) => this.render(p, 'coach') });
  }

  /**
   * Part of the booking's statement (database/composed-statement.ts): both mails, written only
   * if the CTE `booking` inserted the booking; how the client is addressed comes from the CTE
   * `client` (columns preferred_name, pronouns) of the same statement. Then `sendSoon` after it.
   */
  queueInStatement(s: ComposedStatement, b: Omit<Booking, 'clientId'>, type: TypeFacts): void {
    const params: Omit<ConfirmationParams, 'client'> = {
      booking: {
        id: b.id,
        coachId: b.coachId,
        sequence: b.sequence,
        startAt: b.startAt.toISOString(),
        endAt: b.endAt.toISOString(),
        status: b.status,
        clientName: b.clientName,
        clientEmail: b.clientEmail,
        clientTimeZone: b.clientTimeZone,
        price: b.price,
        notes: b.notes,
        meetingUrl: b.meetingUrl,
      },
      type: {
        name: type.name,
        location: type.location,
        meetingKind: type.meetingKind,
        meetingValue: type.meetingValue,
      },
      stamp: b.createdAt.toISOString(),
    };
    const client = `jsonb_build_object('client', (SELECT jsonb_build_object('preferredName', preferred_name, 'pronouns', pronouns) FROM client))`;
    this.mail.enqueueToRenderInStatement(
      s,
      [
        { kind: CLIENT_KIND, to: b.clientEmail, params },
        { kind: COACH_KIND, to: null, params },
      ],
      'booking',
      client,
    );
  }

  /** After the booking's transaction committed: delivery wakes now. */
  sendSoon(): void {
    this.mail.deliverSoon();
  }

  private async render(list: unknown[], side: 'client' | 'coach'): Promise<RenderedMail[]> {
    const coaches = new Map<string, Promise<CoachFacts>>();
    const out: RenderedMail[] = [];
    for (const raw of list) {
      const p = raw as ConfirmationParams;
      const coachId = p.booking.coachId;
      if (!coaches.has(coachId)) coaches.set(coachId, this.support.coachFacts(coachId));
      const coach = await coaches.get(coachId)!;
      const b: BookingFacts = {
        ...p.booking,
        startAt: new Date(p.booking.startAt),
        endAt: new Date(p.booking.endAt),
        cancelReason: null,
      };
      const ctx = this.support.contextOf(p.booking, p.type, coach, p.client);
      const stamp = new Date(p.stamp);
      const mail =
        side === 'client' ? confirmedMail(b, ctx, stamp) : coachNoticeMail(b, ctx, stamp);
      out.push({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        attachments: mail.attachments,
      });
    }
    return out;
  }
}
