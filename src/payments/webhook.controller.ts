import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { StripeWebhookService } from './stripe-webhook.service';

@ApiTags('payments')
@Controller('api/stripe')
export class WebhookController {
  constructor(private readonly webhooks: StripeWebhookService) {}

  /**
   * Stripe's webhook: the signature is checked over the exact raw bytes (400 if missing, bad or
   * stale); unknown event types answer 200; a failure inside answers 5xx so Stripe redelivers.
   */
  @Post('webhook')
  @HttpCode(200)
  @ApiOperation({ summary: "Stripe's webhook (signed; each event applied once)" })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiResponse({
    status: 200,
    description: 'Processed, a duplicate, or a type Mend does not handle',
  })
  @ApiResponse({ status: 400, description: 'Missing, bad or stale signature: nothing changed' })
  async receive(
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true; outcome: string }> {
    const event = this.webhooks.verify(req.rawBody, signature);
    const outcome = await this.webhooks.handle(event);
    return { received: true, outcome };
  }
}
