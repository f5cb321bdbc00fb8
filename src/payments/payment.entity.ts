import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { PayableKind } from './payable';
import type { PaymentStatus } from './payment-state';

/**
 * One attempt to pay for something (a booking, an enrollment): a Stripe Checkout Session, or a
 * local test-mode checkout. The Checkout Session and PaymentIntent ids are unique, so one Stripe
 * payment can never be attached to two rows.
 */
@Entity('payments')
@Index('IDX_payments_reference', ['kind', 'referenceId'])
@Index('IDX_payments_created', ['createdAt'])
@Index('UQ_payments_checkout_session', ['checkoutSessionId'], { unique: true })
@Index('UQ_payments_payment_intent', ['paymentIntentId'], { unique: true })
@Check('CHK_payments_kind', `"kind" IN ('booking', 'enrollment')`)
@Check(
  'CHK_payments_status',
  `"status" IN ('pending', 'succeeded', 'failed', 'expired', 'refund_pending', 'refunded', 'refund_failed')`,
)
@Check(
  'CHK_payments_amount',
  `"amount" > 0 AND "refunded_amount" >= 0 AND "refunded_amount" <= "amount"`,
)
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: PayableKind;

  @Column({ name: 'reference_id', type: 'uuid' })
  referenceId: string;

  /** Minor units. */
  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'text' })
  currency: string;

  /** What is paid for, as shown at checkout and to the coach. */
  @Column({ type: 'text' })
  description: string;

  /** Null once anonymised (the payer's account was deleted); the payment record stays. */
  @Column({ name: 'customer_email', type: 'text', nullable: true })
  customerEmail: string | null;

  @Column({ type: 'text', default: 'pending' })
  status: PaymentStatus;

  /** True when this runs without Stripe (local test mode); never set in production. */
  @Column({ name: 'test_mode', type: 'boolean', default: false })
  testMode: boolean;

  @Column({ name: 'checkout_session_id', type: 'text', nullable: true })
  checkoutSessionId: string | null;

  @Column({ name: 'payment_intent_id', type: 'text', nullable: true })
  paymentIntentId: string | null;

  @Column({ name: 'checkout_url', type: 'text', nullable: true })
  checkoutUrl: string | null;

  @Column({ name: 'success_path', type: 'text' })
  successPath: string;

  @Column({ name: 'cancel_path', type: 'text' })
  cancelPath: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ name: 'refunded_amount', type: 'integer', default: 0 })
  refundedAmount: number;

  /** Stripe refund ids seen for this payment (ours and the dashboard's). */
  @Column({ name: 'refund_ids', type: 'text', array: true, default: () => "'{}'" })
  refundIds: string[];

  @Column({ name: 'refund_reason', type: 'text', nullable: true })
  refundReason: string | null;

  /** Which refund attempt the refund job makes: its idempotency key is new for every retry. */
  @Column({ name: 'refund_attempt', type: 'integer', default: 0 })
  refundAttempt: number;

  /** Stripe refunds that failed after being made (charge.refund.updated), so each counts once. */
  @Column({ name: 'failed_refund_ids', type: 'text', array: true, default: () => "'{}'" })
  failedRefundIds: string[];

  /** Stripe's `failure_reason` of the last failed refund (e.g. `expired_or_canceled_card`). */
  @Column({ name: 'refund_failure_reason', type: 'text', nullable: true })
  refundFailureReason: string | null;

  @Column({ name: 'refund_failed_at', type: 'timestamptz', nullable: true })
  refundFailedAt: Date | null;

  @Column({ name: 'refunded_at', type: 'timestamptz', nullable: true })
  refundedAt: Date | null;

  /** Why a checkout could not be created or a payment failed (no card data, no personal text). */
  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
