import { IdParam } from '../common/id-param';
import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../accounts/auth.decorators';
import { PaymentDto, toPaymentDto } from './dto/payment.dto';
import { PaymentsService } from './payments.service';

@ApiTags('payments')
@Controller('api/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get()
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Every payment, newest first, with its status and what it paid for (coach)',
  })
  @ApiResponse({ status: 200, type: [PaymentDto] })
  async list(): Promise<PaymentDto[]> {
    return (await this.payments.list()).map(toPaymentDto);
  }

  @Post(':id/retry-refund')
  @HttpCode(200)
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Try a failed refund again (a new attempt at Stripe, with a new idempotency key); 409 unless its refund failed',
  })
  @ApiResponse({ status: 200, type: PaymentDto })
  async retryRefund(@IdParam() id: string): Promise<PaymentDto> {
    return toPaymentDto(await this.payments.retryRefund(id));
  }
}
