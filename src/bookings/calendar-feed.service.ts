import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, MoreThanOrEqual } from 'typeorm';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { SchedulingService } from '../scheduling/scheduling.service';
import { bookingEvent } from './booking-mails';
import { meetingInfo } from './meeting';
import { SessionTypeRecord } from '../scheduling/session-type-record';
import { BookingSupport } from './booking-support';
import { Booking } from './booking.entity';
import { buildCalendar } from './ics';

const DAY = 86_400_000;

/** The coach's subscribable calendar of sessions (last week onwards), behind a rotatable token. */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduling: SchedulingService,
    private readonly support: BookingSupport,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async rotate(coachId: string): Promise<string> {
    const token = await this.scheduling.rotateFeedToken(coachId);
    return `${this.config.publicUrl}/calendar/${token}.ics`;
  }

  async feed(token: string): Promise<string> {
    const coachId = await this.scheduling.coachForFeedToken(token);
    if (!coachId) throw notFound('Calendar');
    const now = this.clock.now();
    const rows = await this.dataSource.getRepository(Booking).find({
      where: {
        coachId,
        status: In(['confirmed']),
        endAt: MoreThanOrEqual(new Date(now.getTime() - 7 * DAY)),
      },
      order: { startAt: 'ASC' },
      take: 2000,
    });
    const events = [];
    const contexts = new Map<string, Awaited<ReturnType<BookingSupport['context']>>>();
    const types = new Map<string, SessionTypeRecord>();
    for (const b of rows) {
      let ctx = contexts.get(b.sessionTypeId);
      let type = types.get(b.sessionTypeId);
      if (!ctx || !type) {
        type = await this.scheduling.sessionTypeById(b.sessionTypeId);
        ctx = await this.support.context(b, undefined, type);
        contexts.set(b.sessionTypeId, ctx);
        types.set(b.sessionTypeId, type);
      }
      // The context is shared per session type; the meeting place is each booking's own.
      const meeting = meetingInfo(type, b.meetingUrl);
      events.push(
        bookingEvent(b, { ...ctx, meeting, manageUrl: this.support.manageUrl(b.id) }, now, true),
      );
    }
    const settings = await this.scheduling.settings(coachId);
    return buildCalendar('PUBLISH', events, `${settings.displayName}: sessions`);
  }
}
