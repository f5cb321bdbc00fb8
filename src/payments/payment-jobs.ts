import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { CheckoutReturnsService } from './checkout-returns.service';
import { REFUND_QUEUE, RefundJob } from './payment-fulfilment.service';
import { PaymentsService } from './payments.service';

export const RECONCILE_QUEUE = 'payments-reconcile';
const RETENTION_QUEUE = 'payments-retention';

/**
 * The payments module's background work, registered and scheduled in one place: refunds (queued
 * by PaymentFulfilment.startRefund), the sweep that settles checkouts whose outcome never arrived,
 * and the nightly deletion of anonymised records past retention.
 */
@Injectable()
export class PaymentJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly payments: PaymentsService,
    private readonly returns: CheckoutReturnsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<RefundJob>(REFUND_QUEUE, (job) => this.payments.runRefund(job.paymentId), {
      retryLimit: 12,
      retryDelay: 30,
    });
    this.jobs.register<object>(
      RECONCILE_QUEUE,
      () => this.returns.reconcile().then(() => undefined),
      { retryLimit: 0 },
    );
    this.jobs.schedule(RECONCILE_QUEUE, '* * * * *');
    this.jobs.register(
      RETENTION_QUEUE,
      () => this.payments.deleteExpiredAnonymised().then(() => undefined),
      { retryLimit: 2, retryDelay: 600 },
    );
    this.jobs.schedule(RETENTION_QUEUE, '17 3 * * *');
  }
}
