import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CheckoutPagesController } from './checkout.pages.controller';
import { CheckoutLinks } from './checkout-return-link';
import { CheckoutReturnsService } from './checkout-returns.service';
import { PAYMENTS } from './payable';
import { Payment } from './payment.entity';
import { PaymentFulfilment } from './payment-fulfilment.service';
import { PaymentJobs } from './payment-jobs';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { createStripeClient, STRIPE } from './stripe-client';
import { StripeEvent } from './stripe-event.entity';
import { StripeWebhookService } from './stripe-webhook.service';
import { WebhookController } from './webhook.controller';

/**
 * Payments: Stripe Checkout (or local test mode), the webhook, refunds, and the coach's view.
 * Feature modules use it only through the PAYMENTS token (payable.ts); global, so they need not
 * import it (and inject it as optional).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Payment, StripeEvent])],
  controllers: [WebhookController, PaymentsController, CheckoutPagesController],
  providers: [
    {
      provide: STRIPE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createStripeClient(config),
    },
    PaymentsRepository,
    CheckoutLinks,
    PaymentFulfilment,
    PaymentsService,
    CheckoutReturnsService,
    StripeWebhookService,
    PaymentJobs,
    { provide: PAYMENTS, useExisting: PaymentsService },
  ],
  // PaymentsService for the coach's pages (the dashboard's recent payments); features use PAYMENTS.
  exports: [PAYMENTS, PaymentsService],
})
export class PaymentsModule {}
