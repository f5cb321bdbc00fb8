import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The stored answer to a request made with an `Idempotency-Key`, written with its effect. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  /** `<scope>:<key>`. */
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ name: 'status_code', type: 'integer' })
  statusCode: number;

  @Column({ type: 'jsonb' })
  response: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
