import { PayableKind } from './payable';
import { Payment } from './payment.entity';
import { formatMoney } from '../common/money';
import { refundFailureInWords } from './payment-fulfilment.service';
import { PaymentStatus } from './payment-state';

/** What pages and the API may see of a payment (never the entity itself). */
export interface PaymentView {
  id: string;
  kind: PayableKind;
  referenceId: string;
  description: string;
  amount: number;
  currency: string;
  amountText: string;
  status: PaymentStatus;
  customerEmail: string | null;
  refundedAmount: number;
  testMode: boolean;
  /** Only while it can still be paid. */
  checkoutUrl: string | null;
  successPath: string;
  cancelPath: string;
  expiresAt: Date;
  createdAt: Date;
  paidAt: Date | null;
  refundedAt: Date | null;
  /** Why it failed, or why a refund is stuck (no personal text). */
  failureReason: string | null;
  /** Stripe's code for the last failed refund, and the same in words. */
  refundFailureReason: string | null;
  refundFailureText: string | null;
}

export function toPaymentView(p: Payment, now: Date): PaymentView {
  const open = p.status === 'pending' && p.expiresAt.getTime() > now.getTime();
  return {
    id: p.id,
    kind: p.kind,
    referenceId: p.referenceId,
    description: p.description,
    amount: p.amount,
    currency: p.currency,
    amountText: formatMoney(p.amount, p.currency),
    status: p.status,
    customerEmail: p.customerEmail,
    refundedAmount: p.refundedAmount,
    testMode: p.testMode,
    checkoutUrl: open ? p.checkoutUrl : null,
    successPath: p.successPath,
    cancelPath: p.cancelPath,
    expiresAt: p.expiresAt,
    createdAt: p.createdAt,
    paidAt: p.paidAt,
    refundedAt: p.refundedAt,
    failureReason: p.failureReason,
    refundFailureReason: p.refundFailureReason,
    refundFailureText: p.refundFailureReason ? refundFailureInWords(p.refundFailureReason) : null,
  };
}
