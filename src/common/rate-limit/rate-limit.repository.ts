import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The current fixed window of `$2` seconds, and the seconds left in it. */
const WINDOW = `to_timestamp(floor(extract(epoch FROM now()) / $2) * $2)`;
const LEFT = `ceil(extract(epoch FROM ${WINDOW} + make_interval(secs => $2) - now()))::int`;

/**
 * The `rate_limit_counters` table: how many requests each key made in each fixed window (the
 * windows are computed by PostgreSQL's clock, so every instance agrees on them).
 */
@Injectable()
export class RateLimitRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds hits counted in memory to their keys' current windows, in one statement: each key's
   * count so far and the milliseconds left in its window.
   */
  async addHits(
    hits: { key: string; windowSeconds: number; count: number }[],
  ): Promise<{ key: string; count: number; leftMs: number }[]> {
    if (hits.length === 0) return [];
    return (await this.dataSource.query(
      `WITH h AS (SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS h(key, secs, n))
       INSERT INTO rate_limit_counters (key, window_start, count)
       SELECT key, to_timestamp(floor(extract(epoch FROM now()) / secs) * secs), n FROM h
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + EXCLUDED.count
       RETURNING key, count,
         (extract(epoch FROM window_start) * 1000
           + (SELECT secs FROM h WHERE h.key = rate_limit_counters.key) * 1000
           - extract(epoch FROM now()) * 1000)::float8 AS "leftMs"`,
      [hits.map((h) => h.key), hits.map((h) => h.windowSeconds), hits.map((h) => h.count)],
    )) as { key: string; count: number; leftMs: number }[];
  }

  /**
   * Takes one of `limit` attempts of `key` in its current window, in one statement (concurrent
   * callers can't take more than `limit` between them): the window taken from, or null when
   * none is left, with the seconds left in the window.
   */
  async takeAttempt(
    key: string,
    windowSeconds: number,
    limit: number,
  ): Promise<{ windowStart: Date | null; left: number }> {
    const rows: { window_start: Date | null; left: number }[] = await this.dataSource.query(
      `WITH taken AS (
         INSERT INTO rate_limit_counters (key, window_start, count) VALUES ($1, ${WINDOW}, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
           WHERE rate_limit_counters.count < $3
         RETURNING window_start)
       SELECT (SELECT window_start FROM taken) AS window_start, ${LEFT} AS left`,
      [key, windowSeconds, limit],
    );
    return { windowStart: rows[0].window_start, left: rows[0].left };
  }

  /** Gives back one attempt taken from that window (never below zero). */
  async giveBack(key: string, windowStart: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE rate_limit_counters SET count = count - 1 WHERE key = $1 AND window_start = $2 AND count > 0`,
      [key, windowStart],
    );
  }

  /** Drops windows that ended more than a day ago. */
  async deleteOlderThanADay(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM rate_limit_counters WHERE window_start < now() - interval '1 day'`,
    );
  }
}
