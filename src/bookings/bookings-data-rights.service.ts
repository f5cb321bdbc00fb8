import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { Clock } from '../common/clock';
import { BookingChangesService } from './booking-changes.service';
import { Booking } from './booking.entity';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

export interface BookingRecord {
  id: string;
  status: string;
  sessionType: string;
  start: string;
  end: string;
  timeZone: string;
  price: number;
  currency: string;
  notes: string | null;
  intake: Record<string, string> | null;
  /** The same answers with the questions as they were worded (for people reading an export). */
  intakeAnswers: { id: string; question: string; answer: string }[];
  createdAt: string;
  cancelledAt: string | null;
}

/** What the bookings module holds about one client, for the coach's client view, export and erasure. */
@Injectable()
export class BookingsDataRightsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: BookingChangesService,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyKeysRepository,
  ) {}

  async bookingsOf(
    clientId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<BookingRecord[]> {
    const rows = await m.find(Booking, {
      where: { clientId },
      relations: { sessionType: true },
      order: { startAt: 'DESC' },
    });
    return rows.map((b) => ({
      id: b.id,
      status: b.status,
      sessionType: b.sessionType?.name ?? '',
      start: b.startAt.toISOString(),
      end: b.endAt.toISOString(),
      timeZone: b.clientTimeZone,
      price: b.price,
      currency: b.currency,
      notes: b.notes,
      intake: b.intake,
      intakeAnswers: Object.entries(b.intake ?? {}).map(([id, answer]) => ({
        id,
        question: b.sessionType?.intakeQuestions.find((q) => q.id === id)?.label ?? id,
        answer,
      })),
      createdAt: b.createdAt.toISOString(),
      cancelledAt: b.cancelledAt ? b.cancelledAt.toISOString() : null,
    }));
  }

  /**
   * Account deletion, inside the caller's transaction: future sessions are cancelled coach-side
   * (so paid ones are refunded in full, and both sides are told); stored idempotent answers that
   * repeat the person's details are dropped. The rows themselves go with the user (cascade).
   */
  async eraseFor(m: EntityManager, user: { id: string; email: string }): Promise<number> {
    const future = await m.find(Booking, {
      where: {
        clientId: user.id,
        status: In(['confirmed', 'pending_payment']),
        startAt: MoreThan(this.clock.now()),
      },
      lock: { mode: 'pessimistic_write' },
    });
    for (const b of future)
      await this.changes.cancelLoaded(m, b, 'coach', 'The client deleted their account.');
    await this.idempotencyKeys.deleteAnswersFor(m, user.email);
    return future.length;
  }
}
