import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import {
  Between,
  DataSource,
  EntityManager,
  FindOptionsWhere,
  In,
  LessThan,
  MoreThanOrEqual,
} from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { formatMoment } from '../common/dates';
import { DomainError } from '../common/errors';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { hashToken, normalizeEmail } from '../common/tokens';
import { validationFailed } from '../common/validation';
import { PAYMENTS, PaymentsPort } from '../payments/payable';
import { SchedulingService, SchedulingSettings } from '../scheduling/scheduling.service';
import { SessionTypeRecord } from '../scheduling/session-type-record';
import { busyRange, isValidTimeZone } from '../scheduling/slots';
import { bookingIcs } from './booking-mails';
import { BookingAccess, BookingSupport } from './booking-support';
import { pgCode } from '../database/pg-code';
import { Booking } from './booking.entity';
import { BookingPayableHandler } from './booking-payable.handler';
import { BookingOutDto, CreateBookingDto, ListBookingsQueryDto } from './dto/booking.dto';
import { BookingConfirmation } from './booking-confirmation';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { checkIntake, newMeetingRoom } from './meeting';
import { BookingsRepository } from './bookings.repository';
import { AppConfig } from '../config/config';
import { ComposedStatement } from '../database/composed-statement';
import { APP_CONFIG } from '../config/config.module';

/** How long a paid booking's slot is held for checkout (Stripe needs ≥ 30 min for expires_at). */
export const HOLD_MINUTES = 35;

export interface CreateResult {
  status: number;
  body: BookingOutDto;
}

function requestHash(dto: CreateBookingDto): string {
  const canonical = JSON.stringify([
    dto.sessionType,
    dto.start,
    dto.name,
    dto.email,
    dto.timeZone,
    dto.notes ?? null,
    dto.intake ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

@Injectable()
export class BookingsService implements OnModuleInit {
  private readonly logger = new Logger(BookingsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduling: SchedulingService,
    private readonly accounts: AccountsService,
    private readonly support: BookingSupport,
    private readonly confirmation: BookingConfirmation,
    private readonly rateLimit: RateLimitService,
    private readonly clock: Clock,
    private readonly payable: BookingPayableHandler,
    @Optional() @Inject(PAYMENTS) private readonly payments: PaymentsPort | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: BookingsRepository,
    private readonly idempotencyKeys: IdempotencyKeysRepository,
  ) {}

  onModuleInit(): void {
    this.payments?.registerHandler('booking', this.payable);
  }

  async create(
    dto: CreateBookingDto,
    idempotencyKey: string | undefined,
    ip: string,
  ): Promise<CreateResult> {
    await this.rateLimit.consume('booking', ip);
    if (
      idempotencyKey !== undefined &&
      (idempotencyKey.length < 1 || idempotencyKey.length > 200)
    ) {
      throw validationFailed({
        'Idempotency-Key': ['Idempotency-Key must be 1 to 200 characters'],
      });
    }
    const key = idempotencyKey ? `booking:${idempotencyKey}` : null;
    const hash = key ? requestHash(dto) : '';
    if (key) {
      const replay = await this.replay(key, hash);
      if (replay) return replay;
    }
    if (!isValidTimeZone(dto.timeZone))
      throw validationFailed({ timeZone: ['timeZone must be a known IANA time zone'] });
    if (dto.intake && Object.keys(dto.intake).length > 30)
      throw validationFailed({ intake: ['intake must hold at most 30 answers'] });
    const start = new Date(dto.start);
    // The type, the coach's settings (the daily limit needs them) and the offered check together.
    const { type, settings, offered } = await this.scheduling.bookable(dto.sessionType, start);
    const intake = checkIntake(type.intakeQuestions, dto.intake);
    if (Object.keys(intake.problems).length) throw validationFailed(intake.problems);
    if (!offered) {
      throw new DomainError(
        'SLOT_UNAVAILABLE',
        'That time is not one of the offered times. Please pick a time from the list.',
      );
    }
    const paid = type.price > 0;
    if (paid && !this.payments)
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Paid sessions can’t be booked right now. Please try again later.',
      );

    const insert = () => this.insertBooking(dto, type, start, intake.clean, key, hash, settings);
    let booking: Booking;
    let body: BookingOutDto;
    try {
      try {
        ({ booking, body } = await insert());
      } catch (e) {
        // Lost to a hold that has expired but is still marked pending: release it, try once more.
        if (pgCode(e) !== '23P01' || !(await this.releaseExpiredHolds(type, start))) throw e;
        ({ booking, body } = await insert());
      }
    } catch (e) {
      const code = pgCode(e);
      if (key && (code === '23505' || code === '23P01')) {
        // A request with the same key won a race: answer what it answered.
        const replay = await this.replay(key, hash);
        if (replay) return replay;
      }
      if (code === '23P01')
        throw new DomainError(
          'SLOT_TAKEN',
          'Someone booked that time a moment ago. Please pick another time.',
        );
      throw e;
    }
    if (paid) body = await this.startCheckout(booking, type, body, key);
    else this.confirmation.sendSoon();
    return { status: 201, body };
  }

  /**
   * The booking is one statement (database/composed-statement.ts): the client record, the
   * booking, its two mails (rendered after commit by the mail worker) and the idempotent answer
   * (only with a key), each written by the module that owns the table. Being one statement it is
   * atomic without a transaction, and one round trip. Only a coach's daily limit needs one: the
   * day's lock and count, then the statement, in one transaction.
   */
  private async insertBooking(
    dto: CreateBookingDto,
    type: SessionTypeRecord,
    start: Date,
    intake: Record<string, string>,
    key: string | null,
    hash: string,
    settings: Pick<SchedulingSettings, 'maxSessionsPerDay' | 'timeZone'>,
  ): Promise<{ booking: Booking; body: BookingOutDto }> {
    const now = this.clock.now();
    const id = randomUUID();
    const token = this.support.manageToken(id);
    const row = this.newBooking(id, hashToken(token), dto, type, start, intake, now);
    const body = this.support.toDto(
      row,
      type,
      { manageUrl: this.support.manageUrl(id, token) },
      false,
    );
    const s = new ComposedStatement();
    this.accounts.clientInStatement(s, dto.email, dto.name, dto.timeZone, {
      preferredName: dto.preferredName,
      pronouns: dto.pronouns,
    });
    this.repository.insertCte(s, row);
    if (row.status === 'confirmed') this.confirmation.queueInStatement(s, row, type);
    if (key) this.idempotencyKeys.insertCte(s, 'booking', key, hash, 201, body);
    const run = async (m?: EntityManager): Promise<string> => {
      // Nothing written the first time: the client's record was created by someone else after
      // the statement's snapshot. Once more, with a new snapshot that sees it.
      const clientId =
        (await this.repository.runInsert(m, s)) ?? (await this.repository.runInsert(m, s));
      if (!clientId) throw new Error('client record not found for a new booking');
      return clientId;
    };
    const clientId =
      settings.maxSessionsPerDay === null
        ? await run()
        : await this.dataSource.transaction(async (m) => {
            await this.support.checkDailyLimit(m, type.coachId, start, now, null, settings);
            return run(m);
          });
    return { booking: Object.assign(new Booking(), row, { clientId }), body };
  }

  /** The row of a new booking (its client is found or created by the insert's statement). */
  private newBooking(
    id: string,
    manageTokenHash: string,
    dto: CreateBookingDto,
    type: SessionTypeRecord,
    start: Date,
    intake: Record<string, string>,
    now: Date,
  ): Omit<Booking, 'clientId'> {
    const paid = type.price > 0;
    const end = new Date(start.getTime() + type.durationMinutes * 60_000);
    const busy = busyRange(start.getTime(), end.getTime(), type);
    return {
      id,
      coachId: type.coachId,
      sessionTypeId: type.id,
      status: paid ? 'pending_payment' : 'confirmed',
      startAt: start,
      endAt: end,
      busyStart: new Date(busy.start),
      busyEnd: new Date(busy.end),
      holdExpiresAt: paid ? new Date(now.getTime() + HOLD_MINUTES * 60_000) : null,
      clientName: dto.name.trim(),
      clientEmail: normalizeEmail(dto.email),
      clientTimeZone: dto.timeZone,
      price: type.price,
      currency: type.currency,
      notes: dto.notes?.trim() || null,
      intake: Object.keys(intake).length ? intake : null,
      meetingUrl:
        type.meetingKind === 'generated_video' ? newMeetingRoom(this.config.meetingBaseUrl) : null,
      manageTokenHash,
      sequence: 0,
      reminderSentAt: null,
      cancelledAt: null,
      cancelReason: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** After losing to an overlap: expired holds in the way stop blocking (their own statement). */
  private async releaseExpiredHolds(type: SessionTypeRecord, start: Date): Promise<number> {
    const end = start.getTime() + type.durationMinutes * 60_000;
    const busy = busyRange(start.getTime(), end, type);
    return this.repository.releaseExpiredHolds(
      this.dataSource.manager,
      type.coachId,
      new Date(busy.start),
      new Date(busy.end),
      this.clock.now(),
    );
  }

  private async replay(key: string, hash: string): Promise<CreateResult | null> {
    const stored = await this.idempotencyKeys.find(key);
    if (!stored) return null;
    if (stored.requestHash !== hash)
      throw new DomainError(
        'IDEMPOTENCY_MISMATCH',
        'This Idempotency-Key was already used with a different request.',
      );
    return { status: stored.statusCode, body: stored.response as unknown as BookingOutDto };
  }

  /** After the hold committed: create the checkout; if that fails, release the hold. */
  private async startCheckout(
    b: Booking,
    type: SessionTypeRecord,
    body: BookingOutDto,
    key: string | null,
  ): Promise<BookingOutDto> {
    const payments = this.payments!;
    try {
      const token = this.support.manageToken(b.id);
      const { checkoutUrl } = await payments.createCheckout({
        kind: 'booking',
        referenceId: b.id,
        amount: b.price,
        currency: b.currency,
        // In the client's own zone: this is what the checkout page and the receipt show them.
        description: `${type.name}, ${formatMoment(b.startAt, b.clientTimeZone)}`,
        customerEmail: b.clientEmail,
        expiresAt: b.holdExpiresAt!,
        // The "You're booked" page, paid or free.
        successPath: `/bookings/manage?token=${token}&booked=1`,
        cancelPath: `/book/${type.slug}`,
      });
      const out = { ...body, checkoutUrl };
      if (key) await this.idempotencyKeys.replaceResponse(key, out);
      return out;
    } catch (e) {
      await this.repository.expireHold(b.id);
      if (key) await this.idempotencyKeys.delete(key);
      throw e;
    }
  }

  async get(id: string, access: BookingAccess): Promise<BookingOutDto> {
    const { booking } = await this.support.load(this.dataSource.manager, id, access);
    const type = await this.scheduling.sessionTypeById(booking.sessionTypeId);
    return this.support.toDto(
      booking,
      type,
      access.token ? { manageUrl: this.support.manageUrl(booking.id) } : {},
    );
  }

  async ics(id: string, access: BookingAccess): Promise<string> {
    const { booking } = await this.support.load(this.dataSource.manager, id, access);
    const ctx = await this.support.context(booking);
    const active = booking.status === 'confirmed' || booking.status === 'pending_payment';
    return bookingIcs(booking, ctx, this.clock.now(), active ? 'REQUEST' : 'CANCEL');
  }

  async listForCoach(coachId: string, q: ListBookingsQueryDto): Promise<BookingOutDto[]> {
    const where: FindOptionsWhere<Booking> = { coachId };
    if (q.from && q.to) where.startAt = Between(new Date(q.from), new Date(q.to));
    else if (q.from) where.startAt = MoreThanOrEqual(new Date(q.from));
    else if (q.to) where.startAt = LessThan(new Date(q.to));
    if (q.status) where.status = q.status;
    return this.list(where, 1000);
  }

  /**
   * The signed-in client's own bookings. The API leaves manage links out (the session is enough to
   * manage them there); the member's sessions page asks for them, to link each to its manage page.
   */
  async listForClient(
    user: User,
    opts: { withManageLinks?: boolean } = {},
  ): Promise<BookingOutDto[]> {
    const rows = await this.list({ clientId: user.id }, 500);
    return opts.withManageLinks
      ? rows.map((b) => ({ ...b, manageUrl: this.support.manageUrl(b.id) }))
      : rows;
  }

  /** The coach's upcoming active sessions (the coach pages and the calendar feed). */
  async upcoming(coachId: string, from: Date, limit = 500): Promise<BookingOutDto[]> {
    return this.list(
      { coachId, endAt: MoreThanOrEqual(from), status: In(['confirmed', 'pending_payment']) },
      limit,
    );
  }

  private async list(where: FindOptionsWhere<Booking>, take: number): Promise<BookingOutDto[]> {
    const rows = await this.dataSource.getRepository(Booking).find({
      where,
      order: { startAt: 'ASC' },
      take,
      relations: { sessionType: true, client: true },
    });
    return rows.map((b) =>
      this.support.toDto(b, b.sessionType!, {
        displayName: b.client?.preferredName?.trim() || b.clientName,
        pronouns: b.client?.pronouns ?? null,
      }),
    );
  }

  /** What a signed-in client answered last time, to prefill the intake questions. */
  lastIntakeOf(clientId: string): Promise<Record<string, string>> {
    return this.repository.latestIntake(clientId);
  }

  /** Used by the manage page: the booking behind a manage token. */
  async byToken(token: string, m: EntityManager = this.dataSource.manager): Promise<BookingOutDto> {
    const b = await this.support.byToken(m, token);
    const type = await this.scheduling.sessionTypeById(b.sessionTypeId);
    return this.support.toDto(b, type, { manageUrl: this.support.manageUrl(b.id) });
  }
}
