import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainError } from '../errors';

export type RateLimitBucket = 'booking' | 'signup' | 'comment' | 'subscribe' | 'password-reset' | 'login-failure';

@Injectable()
export class RateLimitService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one request of `key` in the current window; throws 429 once `limit` is passed. */
  async consume(bucket: RateLimitBucket, key: string, limit = this.config.rateLimitPerMinute, windowSeconds = 60): Promise<void> {
    const count = await this.increment(bucket, key, windowSeconds);
    if (count > limit) {
      throw new DomainError('RATE_LIMITED', 'Too many requests. Please wait a minute and try again.');
    }
  }

  async increment(bucket: RateLimitBucket, key: string, windowSeconds: number): Promise<number> {
    const rows: { count: number }[] = await this.dataSource.query(
      `INSERT INTO rate_limit_counters (key, window_start, count)
       VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
       RETURNING count`,
      [`${bucket}:${key}`, windowSeconds],
    );
    return rows[0].count;
  }

  async current(bucket: RateLimitBucket, key: string, windowSeconds: number): Promise<number> {
    const rows: { count: number }[] = await this.dataSource.query(
      `SELECT count FROM rate_limit_counters
       WHERE key = $1 AND window_start = to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)`,
      [`${bucket}:${key}`, windowSeconds],
    );
    return rows[0]?.count ?? 0;
  }

  /** Drops windows that ended more than a day ago (run by a periodic job). */
  async prune(): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit_counters WHERE window_start < now() - interval '1 day'`);
  }
}
