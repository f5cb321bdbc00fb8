import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { rateLimited } from '../errors';
import { RateLimitRepository } from './rate-limit.repository';

export type RateLimitBucket =
  | 'booking'
  | 'signup'
  | 'comment'
  | 'subscribe'
  | 'password-reset'
  | 'login-failure'
  | 'password-recheck';

/** An attempt taken from a window by `reserve`, to give back with `release` when it succeeded. */
export interface RateLimitSlot {
  key: string;
  windowStart: Date;
}

/**
 * Limits at or above this many requests per window may count far-below-the-limit hits in memory
 * and add them to PostgreSQL in batches (every FLUSH_MS); smaller limits — every limit a person
 * can meet by hand — are counted in PostgreSQL on every request, exactly, across instances.
 */
export const BATCHED_LIMIT_FLOOR = 100;
const FLUSH_MS = 100;

/** What this instance knows of one key's current window. */
interface LocalWindow {
  windowSeconds: number;
  /** Local clock time (ms) at which PostgreSQL's window ends. */
  endsAt: number;
  /** The count PostgreSQL answered last (every instance's hits). */
  known: number;
  /** Hits allowed here and not yet added to PostgreSQL. */
  pending: number;
}

@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly windows = new Map<string, LocalWindow>();
  /** Hits of each key being counted in PostgreSQL right now (not yet in `known`). */
  private readonly inFlight = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly counters: RateLimitRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Counts one request of `key` in the current window; throws 429 once `limit` is passed.
   * Shared across instances through PostgreSQL. Exact whenever the count is within half of the
   * limit or the limit is below BATCHED_LIMIT_FLOOR; far below a generous limit, hits are
   * added in batches (a hot key is then one UPDATE per FLUSH_MS, not one per request).
   */
  async consume(
    bucket: RateLimitBucket,
    key: string,
    limit = this.config.rateLimitPerMinute,
    windowSeconds = 60,
  ): Promise<void> {
    const k = `${bucket}:${key}`;
    const now = Date.now();
    let w = this.windows.get(k);
    if (w && (now >= w.endsAt || w.windowSeconds !== windowSeconds)) w = undefined;
    if (w && w.known + w.pending >= limit) {
      throw rateLimited('Too many requests.', Math.max(1, Math.ceil((w.endsAt - now) / 1000)));
    }
    const inFlight = this.inFlight.get(k) ?? 0;
    if (w && limit >= BATCHED_LIMIT_FLOOR && (w.known + w.pending + inFlight + 1) * 2 <= limit) {
      w.pending += 1;
      this.scheduleFlush();
      return;
    }
    const carried = w ? w.pending : 0;
    if (w) w.pending = 0;
    this.inFlight.set(k, inFlight + carried + 1);
    let row: { count: number; leftMs: number };
    try {
      [row] = await this.counters.addHits([{ key: k, windowSeconds, count: carried + 1 }]);
    } finally {
      const left = (this.inFlight.get(k) ?? 0) - carried - 1;
      if (left > 0) this.inFlight.set(k, left);
      else this.inFlight.delete(k);
    }
    this.remember(k, windowSeconds, row);
    if (row.count > limit) {
      throw rateLimited('Too many requests.', Math.max(1, Math.ceil(row.leftMs / 1000)));
    }
  }

  private remember(key: string, windowSeconds: number, row: { count: number; leftMs: number }) {
    const endsAt = Date.now() + row.leftMs;
    const w = this.windows.get(key);
    if (w && w.windowSeconds === windowSeconds && Math.abs(w.endsAt - endsAt) < 1000) {
      w.known = Math.max(w.known, row.count);
      return;
    }
    if (this.windows.size >= 10_000) this.forgetEnded();
    this.windows.set(key, { windowSeconds, endsAt, known: row.count, pending: w?.pending ?? 0 });
  }

  private forgetEnded(): void {
    const now = Date.now();
    for (const [k, w] of this.windows)
      if (w.endsAt <= now && w.pending === 0) this.windows.delete(k);
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Adds the hits counted in memory to PostgreSQL (kept for the next try if that fails). */
  async flush(): Promise<void> {
    const batch: { key: string; windowSeconds: number; count: number }[] = [];
    for (const [key, w] of this.windows) {
      if (w.pending === 0) continue;
      batch.push({ key, windowSeconds: w.windowSeconds, count: w.pending });
      w.pending = 0;
    }
    if (batch.length === 0) return this.forgetEnded();
    try {
      for (const row of await this.counters.addHits(batch)) {
        const w = this.windows.get(row.key);
        if (w) this.remember(row.key, w.windowSeconds, row);
      }
    } catch (e) {
      for (const hit of batch) {
        const w = this.windows.get(hit.key);
        if (w) w.pending += hit.count;
      }
      this.logger.warn({ err: e }, 'rate-limit counts not yet saved; trying again');
      this.scheduleFlush();
    }
    this.forgetEnded();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush().catch(() => undefined);
  }

  /**
   * Takes one of `limit` attempts in the current window, in one statement: concurrent callers
   * can never take more than `limit` between them. Throws 429 (with the seconds left in the
   * window) when none is left. The attempt stays counted unless `release`d.
   */
  async reserve(
    bucket: RateLimitBucket,
    key: string,
    limit: number,
    windowSeconds: number,
    message: string,
  ): Promise<RateLimitSlot> {
    const slotKey = `${bucket}:${key}`;
    const { windowStart, left } = await this.counters.takeAttempt(slotKey, windowSeconds, limit);
    if (!windowStart) throw rateLimited(message, left);
    return { key: slotKey, windowStart };
  }

  /** Gives back an attempt taken by `reserve` (it succeeded, so it is not a failure). */
  async release(slot: RateLimitSlot): Promise<void> {
    await this.counters.giveBack(slot.key, slot.windowStart);
  }

  /** Drops windows that ended more than a day ago (run by a periodic job). */
  async prune(): Promise<void> {
    await this.counters.deleteOlderThanADay();
  }
}
