import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { LinkSigner } from '../common/crypto/link-signer';
import { DataSource, EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { User } from '../accounts/user.entity';
import { DomainError, notFound } from '../common/errors';
import { hashToken } from '../common/tokens';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { coachLabel } from './coach-label';
import { SchedulingService, SchedulingSettings } from '../scheduling/scheduling.service';
import { MeetingKind, SessionTypeRecord } from '../scheduling/session-type-record';
import { localDate, startOfLocalDate } from '../scheduling/slots';
import { BookingContext } from './booking-mails';
import { Booking } from './booking.entity';
import { BookingsRepository } from './bookings.repository';
import { meetingInfo } from './meeting';
import { BookingOutDto } from './dto/booking.dto';
import { Actor } from './policy';
import { isCoach } from '../accounts/coach';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = 86_400_000;

/** What booking mails need of the coach. */
export interface CoachFacts {
  name: string;
  email: string;
  timeZone: string;
  cancellationNoticeHours: number;
}

/** The parts of a session type a booking's mails show. */
export type TypeFacts = {
  name: string;
  location: string;
  meetingKind: MeetingKind;
  meetingValue: string | null;
};

export interface BookingAccess {
  viewer: User | null;
  token?: string;
}

/** Shared pieces of the booking services: access, manage tokens, output mapping, mail context. */
@Injectable()
export class BookingSupport {
  constructor(
    private readonly scheduling: SchedulingService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: LinkSigner,
    private readonly bookings: BookingsRepository,
    private readonly accounts: AccountsService,
  ) {}

  /**
   * The manage token of a booking: an HMAC of its id under the app's link-signing secret (which
   * survives ENCRYPTION_KEY rotations), so mails sent later (after a payment, a reminder) can
   * carry the link; the database keeps only its SHA-256 hash.
   */
  manageToken(bookingId: string): string {
    return this.links.sign('booking-manage', bookingId);
  }

  /** The manage page's link (pass the token when it is already at hand: it is an HMAC). */
  manageUrl(bookingId: string, token = this.manageToken(bookingId)): string {
    return `${this.config.publicUrl}/bookings/manage?token=${token}`;
  }

  icsUrl(bookingId: string, token = this.manageToken(bookingId)): string {
    return `${this.config.publicUrl}/api/bookings/${bookingId}/ics?token=${token}`;
  }

  /** Loads a booking the caller may see (coach, its client, or the manage token); 404 otherwise. */
  async load(
    m: EntityManager,
    id: string,
    access: BookingAccess,
    lock = false,
  ): Promise<{ booking: Booking; actor: Actor }> {
    const booking = UUID.test(id)
      ? await m.findOne(Booking, {
          where: { id },
          ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        })
      : null;
    if (!booking) throw notFound('Booking');
    const actor = this.actorFor(booking, access);
    if (!actor) throw notFound('Booking');
    return { booking, actor };
  }

  /** Finds a booking by its manage token alone (the manage page). */
  async byToken(m: EntityManager, token: string): Promise<Booking> {
    const booking =
      token && token.length <= 200
        ? await m.findOne(Booking, { where: { manageTokenHash: hashToken(token) } })
        : null;
    if (!booking) throw notFound('Booking');
    return booking;
  }

  actorFor(b: Booking, access: BookingAccess): Actor | null {
    const v = access.viewer;
    if (isCoach(v) && v.id === b.coachId) return 'coach';
    if (v && v.id === b.clientId) return 'client';
    if (access.token && access.token.length <= 200) {
      const given = Buffer.from(hashToken(access.token));
      const stored = Buffer.from(b.manageTokenHash);
      if (given.length === stored.length && timingSafeEqual(given, stored)) return 'client';
    }
    return null;
  }

  async context(
    b: Booking,
    m: EntityManager = this.dataSource.manager,
    knownType?: TypeFacts,
  ): Promise<BookingContext> {
    // Everything through the caller's manager: a second pool connection inside a transaction can
    // deadlock the pool when many transactions wait on one another (e.g. 100 racers on one slot).
    const type = knownType ?? (await this.scheduling.sessionTypeById(b.sessionTypeId, m));
    const coach = await this.coachFacts(b.coachId, m);
    const client = b.clientId ? await this.accounts.findById(b.clientId, m) : null;
    return this.contextOf(b, type, coach, client);
  }

  /** The coach's name, address, zone and cancellation notice (accounts and scheduling own them). */
  async coachFacts(
    coachId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<CoachFacts> {
    const coach = await this.accounts.findById(coachId, m);
    const settings = await this.scheduling.settings(coachId, m);
    return {
      name: coachLabel(settings.displayName || coach?.name),
      email: coach?.email ?? this.config.mail.from,
      timeZone: settings.timeZone || 'UTC',
      cancellationNoticeHours: settings.cancellationNoticeHours ?? 24,
    };
  }

  /** A booking's mail context from facts already at hand (no query). */
  contextOf(
    b: Pick<Booking, 'id' | 'meetingUrl' | 'clientName'>,
    type: TypeFacts,
    coach: CoachFacts,
    client: { preferredName: string | null; pronouns: string | null } | null,
  ): BookingContext {
    const greeting = client?.preferredName?.trim() || b.clientName;
    const token = this.manageToken(b.id);
    return {
      typeName: type.name,
      location: type.location,
      meeting: meetingInfo(type, b.meetingUrl),
      coachName: coach.name,
      coachEmail: coach.email,
      coachTimeZone: coach.timeZone,
      cancellationNoticeHours: coach.cancellationNoticeHours,
      manageUrl: this.manageUrl(b.id, token),
      icsUrl: this.icsUrl(b.id, token),
      clientGreeting: greeting,
      clientLabel: client?.pronouns ? `${greeting} (${client.pronouns})` : greeting,
    };
  }

  /**
   * A booking as answered to someone allowed to see it (the coach, its client, the manage link).
   * `details` false leaves out where it happens and the intake answers (the create answer).
   */
  toDto(
    b: Omit<Booking, 'clientId'>,
    type: Pick<SessionTypeRecord, 'slug' | 'name' | 'meetingKind' | 'meetingValue'>,
    extra: Partial<BookingOutDto> = {},
    details = true,
  ): BookingOutDto {
    const meeting = details ? meetingInfo(type, b.meetingUrl) : null;
    return {
      id: b.id,
      status: b.status,
      start: b.startAt.toISOString(),
      end: b.endAt.toISOString(),
      sessionType: type.slug,
      sessionTypeName: type.name,
      name: b.clientName,
      email: b.clientEmail,
      timeZone: b.clientTimeZone,
      price: b.price,
      currency: b.currency,
      notes: b.notes,
      holdExpiresAt: b.holdExpiresAt ? b.holdExpiresAt.toISOString() : null,
      ...(details
        ? {
            meetingUrl: meeting?.url ?? null,
            meeting: meeting
              ? { kind: meeting.kind, label: meeting.label, location: meeting.location }
              : null,
            intake: b.intake ?? {},
          }
        : {}),
      ...extra,
    };
  }

  /**
   * The daily limit, checked under a per-coach-date advisory lock so two bookings can't both take
   * the last place of a day. A full day is SLOT_TAKEN (the slot would be offered but for others).
   * No limit set: no statement at all. `known` settings (read before the transaction) save a read.
   */
  async checkDailyLimit(
    m: EntityManager,
    coachId: string,
    start: Date,
    now: Date,
    exceptId: string | null,
    known?: Pick<SchedulingSettings, 'maxSessionsPerDay' | 'timeZone'>,
  ): Promise<void> {
    const settings = known ?? (await this.scheduling.settings(coachId, m));
    if (settings.maxSessionsPerDay === null) return;
    const date = localDate(start.getTime(), settings.timeZone);
    const dayStart = new Date(startOfLocalDate(date, settings.timeZone));
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const dayEnd = new Date(startOfLocalDate(next, settings.timeZone));
    await this.bookings.lockCoachDay(m, coachId, date);
    const count = await this.bookings.countActiveStarting(
      m,
      coachId,
      dayStart,
      dayEnd,
      now,
      exceptId,
    );
    if (count >= settings.maxSessionsPerDay)
      throw new DomainError('SLOT_TAKEN', 'That day is fully booked now. Please pick another day.');
  }
}
