import { Inject, Injectable } from '@nestjs/common';
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

@Injectable()
export class RateLimitService {
  constructor(
    private readonly counters: RateLimitRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one request of `key` in the current window; throws 429 once `limit` is passed. */
  async consume(
    bucket: RateLimitBucket,
    key: string,
    limit = this.config.rateLimitPerMinute,
    windowSeconds = 60,
  ): Promise<void> {
    const { count, left } = await this.counters.countHit(`${bucket}:${key}`, windowSeconds);
    if (count > limit) throw rateLimited('Too many requests.', left);
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
