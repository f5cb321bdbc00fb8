import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Fixed-window counters kept in PostgreSQL so limits hold across app instances. */
@Entity('rate_limit_counters')
@Index('IDX_rate_limit_counters_window', ['windowStart'])
export class RateLimitCounter {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ type: 'integer', default: 0 })
  count: number;
}
