import { ApiProperty } from '@nestjs/swagger';
import { PAYMENT_STATUSES, PaymentStatus } from '../payment-state';
import { PaymentView } from '../payment-view';

export class PaymentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['booking', 'enrollment'], description: 'What the payment is for.' })
  kind: 'booking' | 'enrollment';

  @ApiProperty({ format: 'uuid', description: 'The booking or enrollment paid for.' })
  referenceId: string;

  @ApiProperty({ example: 'Coaching session, 1 Dec 2026 17:00 UTC' })
  description: string;

  @ApiProperty({ description: 'Minor units', example: 9500 })
  amount: number;

  @ApiProperty({ example: 'usd' })
  currency: string;

  @ApiProperty({ enum: PAYMENT_STATUSES })
  status: PaymentStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Null once anonymised.' })
  customerEmail: string | null;

  @ApiProperty({ description: 'Minor units refunded so far' })
  refundedAmount: number;

  @ApiProperty({ description: 'Made in local test mode: no money moved.' })
  testMode: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  paidAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  refundedAt: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it failed, or why a refund is stuck.',
  })
  failureReason: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "Stripe's failure_reason of the last refund that failed (status refund_failed), e.g. expired_or_canceled_card.",
  })
  refundFailureReason: string | null;
}

export function toPaymentDto(v: PaymentView): PaymentDto {
  return {
    id: v.id,
    kind: v.kind,
    referenceId: v.referenceId,
    description: v.description,
    amount: v.amount,
    currency: v.currency,
    status: v.status,
    customerEmail: v.customerEmail,
    refundedAmount: v.refundedAmount,
    testMode: v.testMode,
    createdAt: v.createdAt.toISOString(),
    paidAt: v.paidAt ? v.paidAt.toISOString() : null,
    refundedAt: v.refundedAt ? v.refundedAt.toISOString() : null,
    failureReason: v.failureReason,
    refundFailureReason: v.refundFailureReason,
  };
}
