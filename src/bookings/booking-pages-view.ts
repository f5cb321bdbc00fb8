/**
 * View models of the visitor's booking pages and the member's sessions page: what each template
 * shows, decided here (which sessions are upcoming, what a session type says about itself, what
 * the manage page offers), so that controllers only load and templates only lay out.
 */
import { formatPrice } from '../common/money';
import type { SessionTypeRecord } from '../scheduling/session-type-record';
import { zoneLabel } from '../web/time-zones';
import type { ChangeOptions } from './booking-changes.service';
import { calendarLinks, todayIn, whenIn, zonesWith } from './booking-view';
import type { BookingOutDto } from './dto/booking.dto';
import { policyInWords } from './policy';
import { readableZone } from './reader-zone';

/** A session type as the times and details pages describe it. */
export function typeView(type: SessionTypeRecord) {
  return {
    name: type.name,
    slug: type.slug,
    description: type.description,
    durationMinutes: type.durationMinutes,
    priceLabel: formatPrice(type.price, type.currency),
    paid: type.price > 0,
    location: type.location,
  };
}

/** The zone picker's choices, each labelled by its city ("London (GMT)"), the shown one first. */
export function zoneChoices(zone: string, at: Date): { value: string; label: string }[] {
  return zonesWith(zone).map((z) => ({ value: z, label: zoneLabel(z, at) }));
}

/**
 * A session still ahead of the member: not over, and confirmed or held for payment (a hold whose
 * time has run out is not: it no longer keeps the time).
 */
export function isUpcoming(b: BookingOutDto, now: Date): boolean {
  if (Date.parse(b.end) < now.getTime()) return false;
  if (b.status === 'confirmed') return true;
  return (
    b.status === 'pending_payment' &&
    (!b.holdExpiresAt || Date.parse(b.holdExpiresAt) > now.getTime())
  );
}

/** The member's sessions page: upcoming (soonest first), then past (latest first), in her zone. */
export function mySessionsView(
  bookings: BookingOutDto[],
  now: Date,
  memberZone: string | null,
  locale: string,
) {
  const all = bookings.map((b) => ({
    ...b,
    when: whenIn(b.start, readableZone(memberZone ?? b.timeZone), locale),
    priceLabel: formatPrice(b.price, b.currency),
    upcoming: isUpcoming(b, now),
  }));
  return {
    upcoming: all.filter((b) => b.upcoming),
    past: all.filter((b) => !b.upcoming).reverse(),
  };
}

/** What the manage page ("You're booked", move, cancel) shows about one booking. */
export function manageView(args: {
  booking: BookingOutDto;
  token: string;
  options: ChangeOptions;
  type: SessionTypeRecord | null;
  zone: string;
  locale: string;
  contactEmail: string;
  coachName: string;
}) {
  const { booking, token, options, type, zone } = args;
  const tokenQuery = `token=${encodeURIComponent(token)}`;
  return {
    booking,
    token,
    tokenQuery,
    active: booking.status === 'confirmed',
    options: { ...options, coachName: args.coachName },
    contactEmail: args.contactEmail,
    zone,
    zoneLabel: zoneLabel(zone, new Date(booking.start)),
    when: whenIn(booking.start, zone, args.locale),
    priceLabel: formatPrice(booking.price, booking.currency),
    policy: policyInWords(options.noticeHours, booking.price > 0),
    icsPath: `/api/bookings/${booking.id}/ics?${tokenQuery}`,
    addTo: calendarLinks(booking),
    answers: (type?.intakeQuestions ?? [])
      .filter((iq) => booking.intake?.[iq.id])
      .map((iq) => ({ label: iq.label, answer: booking.intake![iq.id] })),
  };
}

/** The coach's upcoming sessions in her zone: today's, then later ones. */
export function coachSessionsView(
  sessions: BookingOutDto[],
  zone: string,
  now: Date,
  locale: string,
) {
  const today = todayIn(zone, now);
  const rows = sessions.map((b) => ({
    ...b,
    when: whenIn(b.start, zone, locale),
    day: todayIn(zone, new Date(b.start)),
  }));
  return {
    today: rows.filter((b) => b.day === today),
    later: rows.filter((b) => b.day !== today),
  };
}
