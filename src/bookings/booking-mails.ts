import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { formatWhen as formatWhenIn } from '../common/dates';
import { readableZone } from './reader-zone';
import { MailService } from '../mail/mail.service';
import { MailMessage } from '../mail/mail.types';
import { Booking } from './booking.entity';
import { MeetingInfo } from './meeting';
import { buildCalendar, IcsEvent, IcsMethod } from './ics';
import { policyInWords } from './policy';

/** What a booking mail needs beyond the booking row. */
export interface BookingContext {
  typeName: string;
  location: string;
  /** Where it happens (a video room, link, phone, address); null when the type says nothing. */
  meeting: MeetingInfo | null;
  coachName: string;
  coachEmail: string;
  /** The coach's own zone, for the mails she gets. */
  coachTimeZone: string;
  cancellationNoticeHours: number;
  manageUrl: string;
  icsUrl: string;
  /** How the client is addressed: their preferred name, else the name given with the booking. */
  clientGreeting: string;
  /** The same with pronouns, for the coach. */
  clientLabel: string;
}

/** The coach's name on a line of its own ("your coach" → "Your coach"). */
const signOff = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * "Tuesday 1 December 2026 at 17:00 GMT" in the reader's zone (src/common/dates: one format for
 * pages and mails); a bare "UTC" is shown as a place with the same clock (./reader-zone).
 */
export function formatWhen(d: Date, timeZone: string): string {
  return formatWhenIn(d, readableZone(timeZone));
}

/** The facts of a booking its mails and invites show (a Booking row, or a snapshot of one). */
export type BookingFacts = Pick<
  Booking,
  | 'id'
  | 'sequence'
  | 'startAt'
  | 'endAt'
  | 'status'
  | 'clientName'
  | 'clientEmail'
  | 'clientTimeZone'
  | 'price'
  | 'notes'
  | 'cancelReason'
>;

export function bookingEvent(
  b: BookingFacts,
  ctx: BookingContext,
  stamp: Date,
  forCoach = false,
): IcsEvent {
  return {
    uid: `booking-${b.id}@mend`,
    sequence: b.sequence,
    start: b.startAt,
    end: b.endAt,
    stamp,
    summary: forCoach
      ? `${ctx.typeName} with ${ctx.clientLabel}`
      : `${ctx.typeName} with ${ctx.coachName}`,
    description: forCoach
      ? `${ctx.typeName} booked by ${ctx.clientLabel} <${b.clientEmail}>.`
      : `Manage or cancel: ${ctx.manageUrl}`,
    location: ctx.meeting?.location || ctx.location || undefined,
    url: ctx.meeting?.url ?? (forCoach ? undefined : ctx.manageUrl),
    status: b.status === 'cancelled' || b.status === 'expired' ? 'CANCELLED' : 'CONFIRMED',
    organizer: { name: signOff(ctx.coachName), email: ctx.coachEmail },
    attendee: { name: b.clientName, email: b.clientEmail },
  };
}

export function bookingIcs(
  b: BookingFacts,
  ctx: BookingContext,
  stamp: Date,
  method: IcsMethod = 'REQUEST',
): string {
  return buildCalendar(method, [bookingEvent(b, ctx, stamp)]);
}

/** "Where: Video call, https://…" (the booking's own place), else the type's public location. */
export function whereLine(ctx: BookingContext): string {
  if (ctx.meeting) return `Where: ${ctx.meeting.label}, ${ctx.meeting.location}`;
  return ctx.location ? `Where: ${ctx.location}` : '';
}

const invite = (content: string, cancel = false) => ({
  filename: cancel ? 'cancel.ics' : 'invite.ics',
  contentType: `text/calendar; charset=utf-8; method=${cancel ? 'CANCEL' : 'REQUEST'}`,
  content,
});

/** "Booked: …", to the client, with the invite. */
export function confirmedMail(b: BookingFacts, ctx: BookingContext, stamp: Date): MailMessage {
  const when = formatWhen(b.startAt, b.clientTimeZone);
  return {
    kind: 'booking_confirmed',
    to: b.clientEmail,
    subject: `Booked: ${ctx.typeName} on ${when}`,
    text: [
      `Hello ${ctx.clientGreeting},`,
      '',
      `Your ${ctx.typeName} with ${ctx.coachName} is booked for ${when}.`,
      whereLine(ctx),
      '',
      `The calendar invite is attached. To reschedule or cancel, use this private link:`,
      ctx.manageUrl,
      '',
      policyInWords(ctx.cancellationNoticeHours, b.price > 0),
      '',
      `See you then,`,
      signOff(ctx.coachName),
    ]
      .filter((l, i, a) => l !== '' || a[i - 1] !== '')
      .join('\n'),
    attachments: [invite(bookingIcs(b, ctx, stamp))],
  };
}

/** "New booking: …", to the coach, with her own invite. */
export function coachNoticeMail(b: BookingFacts, ctx: BookingContext, stamp: Date): MailMessage {
  const when = formatWhen(b.startAt, ctx.coachTimeZone);
  const where = whereLine(ctx);
  return {
    kind: 'booking_coach_notice',
    to: ctx.coachEmail,
    subject: `New booking: ${ctx.clientLabel}, ${when}`,
    text: `${ctx.clientLabel} <${b.clientEmail}> booked a ${ctx.typeName} for ${when} (their zone: ${b.clientTimeZone}).${where ? `\n${where}` : ''}${b.notes ? `\n\nTheir note:\n${b.notes}` : ''}`,
    attachments: [invite(buildCalendar('REQUEST', [bookingEvent(b, ctx, stamp, true)]))],
  };
}

@Injectable()
export class BookingMails {
  constructor(
    private readonly mail: MailService,
    private readonly clock: Clock,
  ) {}

  /** The confirmation and the coach's notice, rendered now (inside the caller's transaction). */
  async confirmed(m: EntityManager, b: Booking, ctx: BookingContext): Promise<void> {
    const stamp = this.clock.now();
    await this.mail.enqueue(m, confirmedMail(b, ctx, stamp));
    await this.mail.enqueue(m, coachNoticeMail(b, ctx, stamp));
  }

  async rescheduled(
    m: EntityManager,
    b: Booking,
    ctx: BookingContext,
    previousStart: Date,
  ): Promise<void> {
    const ics = bookingIcs(b, ctx, this.clock.now());
    await this.mail.enqueue(m, {
      kind: 'booking_rescheduled',
      to: b.clientEmail,
      subject: `Moved: ${ctx.typeName} is now on ${formatWhen(b.startAt, b.clientTimeZone)}`,
      text: `Hello ${ctx.clientGreeting},\n\nYour ${ctx.typeName} moved from ${formatWhen(previousStart, b.clientTimeZone)} to ${formatWhen(b.startAt, b.clientTimeZone)}. The updated invite is attached.\n\nManage it here: ${ctx.manageUrl}\n\n${signOff(ctx.coachName)}`,
      attachments: [invite(ics)],
    });
    await this.mail.enqueue(m, {
      kind: 'booking_rescheduled_coach',
      to: ctx.coachEmail,
      subject: `Rescheduled: ${ctx.clientLabel}, now ${formatWhen(b.startAt, ctx.coachTimeZone)}`,
      text: `${ctx.clientLabel}'s ${ctx.typeName} moved from ${formatWhen(previousStart, ctx.coachTimeZone)} to ${formatWhen(b.startAt, ctx.coachTimeZone)}.`,
      attachments: [
        invite(buildCalendar('REQUEST', [bookingEvent(b, ctx, this.clock.now(), true)])),
      ],
    });
  }

  async cancelled(
    m: EntityManager,
    b: Booking,
    ctx: BookingContext,
    refundText: string,
  ): Promise<void> {
    const when = formatWhen(b.startAt, b.clientTimeZone);
    await this.mail.enqueue(m, {
      kind: 'booking_cancelled',
      to: b.clientEmail,
      subject: `Cancelled: ${ctx.typeName} on ${when}`,
      text: `Hello ${ctx.clientGreeting},\n\nYour ${ctx.typeName} on ${when} is cancelled.${refundText ? ` ${refundText}` : ''}\n\n${signOff(ctx.coachName)}`,
      attachments: [invite(bookingIcs(b, ctx, this.clock.now(), 'CANCEL'), true)],
    });
    await this.mail.enqueue(m, {
      kind: 'booking_cancelled_coach',
      to: ctx.coachEmail,
      subject: `Cancelled: ${ctx.clientLabel}, ${formatWhen(b.startAt, ctx.coachTimeZone)}`,
      text: `${ctx.clientLabel}'s ${ctx.typeName} on ${formatWhen(b.startAt, ctx.coachTimeZone)} is cancelled.${b.cancelReason ? `\n\nReason: ${b.cancelReason}` : ''}`,
      attachments: [
        invite(buildCalendar('CANCEL', [bookingEvent(b, ctx, this.clock.now(), true)]), true),
      ],
    });
  }

  async reminder(m: EntityManager, b: Booking, ctx: BookingContext): Promise<void> {
    await this.mail.enqueue(m, {
      kind: 'booking_reminder',
      to: b.clientEmail,
      subject: `Tomorrow: ${ctx.typeName} with ${ctx.coachName}`,
      text: `Hello ${ctx.clientGreeting},\n\nA gentle reminder: your ${ctx.typeName} with ${ctx.coachName} is on ${formatWhen(b.startAt, b.clientTimeZone)}.${whereLine(ctx) ? `\n${whereLine(ctx)}` : ''}\n\nIf you need to change it: ${ctx.manageUrl}\n\n${signOff(ctx.coachName)}`,
    });
  }

  async paidTooLate(m: EntityManager, b: Booking, ctx: BookingContext): Promise<void> {
    await this.mail.enqueue(m, {
      kind: 'booking_paid_too_late',
      to: b.clientEmail,
      subject: `We couldn't keep your ${ctx.typeName} time, and refunded you in full`,
      text: `Hello ${ctx.clientGreeting},\n\nYour payment arrived after the time we held for you (${formatWhen(b.startAt, b.clientTimeZone)}) had been released, and someone else booked it meanwhile. We're sorry. Your payment is refunded in full; it can take a few days to show.\n\nYou're welcome to pick another time: ${ctx.manageUrl.replace(/\/bookings\/manage.*$/, '/book')}\n\n${signOff(ctx.coachName)}`,
    });
  }
}
