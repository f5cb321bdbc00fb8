import { PaymentBasics, PaymentSummary } from './payable';
import { Payment } from './payment.entity';
import { formatMoney } from '../common/money';
import { refundFailureInWords } from './payment-fulfilment.service';

/** What pages and the API may see of a payment (never the entity itself). */
export interface PaymentView extends PaymentBasics {
  amountText: string;
  customerEmail: string | null;
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

function basics(p: Payment): PaymentBasics {
  return {
    id: p.id,
    kind: p.kind,
    referenceId: p.referenceId,
    description: p.description,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    refundedAmount: p.refundedAmount,
  };
}

/** What other modules see of a payment (PaymentsPort.listForCustomer). */
export function toPaymentSummary(p: Payment): PaymentSummary {
  return {
    ...basics(p),
    createdAt: p.createdAt.toISOString(),
    paidAt: p.paidAt ? p.paidAt.toISOString() : null,
  };
}

export function toPaymentView(p: Payment, now: Date): PaymentView {
  const open = p.status === 'pending' && p.expiresAt.getTime() > now.getTime();
  return {
    ...basics(p),
    amountText: formatMoney(p.amount, p.currency),
    customerEmail: p.customerEmail,
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
