import { Controller, Get } from '@nestjs/common';
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
}
