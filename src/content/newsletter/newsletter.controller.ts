import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../../accounts/auth.decorators';
import { clientIp } from '../../common/http';
import { SubscribeDto, SubscriberDto } from '../dto/newsletter.dto';
import { NewsletterService } from './newsletter.service';

@ApiTags('content')
@Controller('api/newsletter')
export class NewsletterController {
  constructor(private readonly newsletter: NewsletterService) {}

  @Post('subscribe')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Subscribe (double opt-in): always 202 with the same body; a confirmation link is mailed',
  })
  async subscribe(
    @Body() dto: SubscribeDto,
    @Req() req: FastifyRequest,
  ): Promise<{ status: string }> {
    await this.newsletter.subscribe(dto.email, clientIp(req));
    return { status: 'check_email' };
  }

  @Get('subscribers')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiResponse({ status: 200, type: [SubscriberDto] })
  async list(
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubscriberDto[] | string> {
    if (format === 'csv') return this.sendCsv(reply);
    return this.newsletter.list();
  }

  @Get('subscribers.csv')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Subscribers as CSV (formula-safe)' })
  csv(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.sendCsv(reply);
  }

  private async sendCsv(reply: FastifyReply): Promise<string> {
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="mend-subscribers.csv"');
    reply.header('cache-control', 'no-store');
    return this.newsletter.csv();
  }
}
