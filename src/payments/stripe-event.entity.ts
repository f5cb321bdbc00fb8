import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Every Stripe event id Mend has acted on, written in the same transaction as the event's effect:
 * a redelivered (or concurrently delivered) event finds its id here and changes nothing.
 */
@Entity('stripe_events')
export class StripeEvent {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
