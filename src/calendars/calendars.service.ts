import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EncryptionService } from '../common/crypto/encryption.service';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { validationFailed } from '../common/validation';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { SchedulingService } from '../scheduling/scheduling.service';
import { CalendarsRepository } from './calendars.repository';
import { CalendarOutDto, CalendarSyncOutDto, CreateCalendarDto } from './dto/calendar.dto';
import { ExternalCalendar } from './external-calendar.entity';
import { checkFeedUrl, FeedFetchError, fetchFeed } from './feed-fetcher';
import { busyFromIcs, FeedFormatError } from './ics-busy';

export const CALENDAR_SYNC_QUEUE = 'calendar-sync';
const REENCRYPT_QUEUE = 'calendars-reencrypt';
const DAY = 86_400_000;
const MAX_BYTES = 5 * 1024 * 1024;

/** Binds a URL's ciphertext to its calendar row. */
const urlContext = (id: string): string => `external-calendar-url:${id}`;

/**
 * The coach's other calendars: subscribe by iCal address, sync (fetch → parse → replace the busy
 * ranges), and a job that syncs them all every CALENDAR_SYNC_MINUTES, once across instances.
 * A failing feed keeps its last good busy ranges and says why in `lastError`.
 */
@Injectable()
export class CalendarsService implements OnModuleInit {
  private readonly logger = new Logger(CalendarsService.name);

  constructor(
    private readonly calendars: CalendarsRepository,
    private readonly scheduling: SchedulingService,
    private readonly encryption: EncryptionService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.encryption.assertKeysConfigured(await this.calendars.keyIds(), 'calendar addresses');
    this.jobs.register(CALENDAR_SYNC_QUEUE, () => this.syncAll().then(() => undefined), {
      retryLimit: 0,
    });
    const every = this.config.calendars.syncMinutes;
    this.jobs.schedule(CALENDAR_SYNC_QUEUE, every >= 60 ? '0 * * * *' : `*/${every} * * * *`);
    this.jobs.register(REENCRYPT_QUEUE, () => this.reencrypt().then(() => undefined), {
      retryLimit: 2,
      retryDelay: 60,
    });
    this.jobs.schedule(REENCRYPT_QUEUE, '*/10 * * * *');
  }

  reencrypt(): Promise<number> {
    return this.encryption.reencryptTable<{ id: string }>('external_calendars', [], (r) =>
      urlContext(r.id),
    );
  }

  async list(coachId: string): Promise<CalendarOutDto[]> {
    return (await this.calendars.listForCoach(coachId)).map(toDto);
  }

  /** Adds a calendar and syncs it once (a feed that fails is kept, with its error shown). */
  async create(coachId: string, dto: CreateCalendarDto): Promise<CalendarOutDto> {
    let url: URL;
    try {
      url = checkFeedUrl(dto.url.trim());
    } catch (e) {
      throw validationFailed({
        url: [e instanceof FeedFetchError ? e.message : 'the address is not a valid URL'],
      });
    }
    const id = randomUUID();
    const sealed = this.encryption.encrypt(url.href, urlContext(id));
    await this.calendars.insert({
      id,
      coachId,
      name: dto.name.trim(),
      urlHost: url.host,
      keyId: sealed.keyId,
      nonce: sealed.nonce,
      ciphertext: sealed.ciphertext,
    });
    await this.sync(id);
    return toDto((await this.calendars.byId(id))!);
  }

  async remove(coachId: string, id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.calendars.deleteForCoach(coachId, id)))
      throw notFound('Calendar');
  }

  async syncForCoach(coachId: string, id: string): Promise<CalendarSyncOutDto> {
    const cal = UUID.test(id) ? await this.calendars.byId(id) : null;
    if (!cal || cal.coachId !== coachId) throw notFound('Calendar');
    await this.sync(id);
    const after = (await this.calendars.byId(id))!;
    const out = toDto(after);
    return { lastSyncedAt: out.lastSyncedAt, eventCount: out.eventCount, lastError: out.lastError };
  }

  /** Syncs every calendar; one failing feed never stops the others. */
  async syncAll(): Promise<number> {
    let n = 0;
    for (const { id } of await this.calendars.allIds()) {
      try {
        await this.sync(id);
        n++;
      } catch (e) {
        this.logger.warn(
          { calendarId: id, err: { message: (e as Error).message } },
          'calendar sync failed',
        );
      }
    }
    return n;
  }

  /** One sync. Expected failures (network, format) are recorded on the calendar, not thrown. */
  async sync(id: string): Promise<void> {
    const cal = await this.calendars.byId(id);
    if (!cal) return;
    const now = this.clock.now();
    const settings = await this.scheduling.settings(cal.coachId);
    const from = now.getTime() - DAY;
    const to =
      now.getTime() + ((await this.scheduling.longestBookingWindowDays(cal.coachId)) + 1) * DAY;
    // A conditional GET only while the stored ranges still reach far enough (recurrences roll on).
    const fresh = cal.expandedUntil !== null && cal.expandedUntil.getTime() >= to - DAY;
    try {
      const url = this.encryption.decrypt(
        { keyId: cal.keyId, nonce: cal.nonce, ciphertext: cal.ciphertext },
        urlContext(cal.id),
      );
      const res = await fetchFeed(url, {
        allowPrivateHosts: this.config.calendars.allowPrivateHosts,
        timeoutMs: this.config.calendars.fetchTimeoutMs,
        maxBytes: MAX_BYTES,
        etag: fresh ? cal.etag : null,
        lastModified: fresh ? cal.lastModified : null,
      });
      if (res.status === 'not_modified') {
        if (fresh) return this.calendars.recordUnchanged(id, this.clock.now());
        throw new FeedFetchError(
          'the calendar answered "not modified" to a request that asked for all of it',
        );
      }
      const busy = busyFromIcs(res.body, { zone: settings.timeZone, from, to });
      await this.calendars.replaceBusy(id, busy.ranges, {
        etag: res.etag,
        lastModified: res.lastModified,
        lastSyncedAt: this.clock.now(),
        expandedUntil: new Date(to),
        eventCount: busy.eventCount,
      });
    } catch (e) {
      if (!(e instanceof FeedFetchError || e instanceof FeedFormatError)) {
        this.logger.error(
          { calendarId: id, err: { message: (e as Error).message } },
          'calendar sync failed unexpectedly',
        );
        await this.calendars.recordError(
          id,
          'The calendar could not be synced (an unexpected error). Mend will try again.',
        );
        return;
      }
      const kept = cal.lastSyncedAt
        ? ' The last good copy is kept.'
        : ' Nothing from it blocks time yet.';
      await this.calendars.recordError(id, `${capitalise(e.message)}.${kept}`);
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function toDto(c: ExternalCalendar): CalendarOutDto {
  return {
    id: c.id,
    name: c.name,
    host: c.urlHost,
    lastSyncedAt: c.lastSyncedAt ? c.lastSyncedAt.toISOString() : null,
    lastError: c.lastError,
    eventCount: c.eventCount,
  };
}
