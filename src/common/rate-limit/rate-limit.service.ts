import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { rateLimited } from '../errors';

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

/** The current fixed window of `$2` seconds, and the seconds left in it. */
const WINDOW = `to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)`;
const LEFT = `ceil(extract(epoch FROM ${WINDOW} + make_interval(secs => $2) - now()))::int`;

@Injectable()
export class RateLimitService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one request of `key` in the current window; throws 429 once `limit` is passed. */
  async consume(
    bucket: RateLimitBucket,
    key: string,
    limit = this.config.rateLimitPerMinute,
    windowSeconds = 60,
  ): Promise<void> {
    const rows: { count: number; left: number }[] = await this.dataSource.query(
      `INSERT INTO rate_limit_counters (key, window_start, count) VALUES ($1, ${WINDOW}, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
       RETURNING count, ${LEFT} AS left`,
      [`${bucket}:${key}`, windowSeconds],
    );
    if (rows[0].count > limit) throw rateLimited('Too many requests.', rows[0].left);
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
    const rows: { window_start: Date | null; left: number }[] = await this.dataSource.query(
      `WITH taken AS (
         INSERT INTO rate_limit_counters (key, window_start, count) VALUES ($1, ${WINDOW}, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
           WHERE rate_limit_counters.count < $3
         RETURNING window_start)
       SELECT (SELECT window_start FROM taken) AS window_start, ${LEFT} AS left`,
      [`${bucket}:${key}`, windowSeconds, limit],
    );
    if (!rows[0].window_start) throw rateLimited(message, rows[0].left);
    return { key: `${bucket}:${key}`, windowStart: rows[0].window_start };
  }

  /** Gives back an attempt taken by `reserve` (it succeeded, so it is not a failure). */
  async release(slot: RateLimitSlot): Promise<void> {
    await this.dataSource.query(
      `UPDATE rate_limit_counters SET count = count - 1 WHERE key = $1 AND window_start = $2 AND count > 0`,
      [slot.key, slot.windowStart],
    );
  }

  /** Drops windows that ended more than a day ago (run by a periodic job). */
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM rate_limit_counters WHERE window_start < now() - interval '1 day'`,
    );
  }
}
