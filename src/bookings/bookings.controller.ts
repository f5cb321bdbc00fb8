import { IdParam } from '../common/id-param';
import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser, Viewer } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { clientIp } from '../common/http';
import { BookingChangesService } from './booking-changes.service';
import { BookingsService } from './bookings.service';
import {
  BookingOutDto,
  CancelBookingDto,
  CancelResultDto,
  CreateBookingDto,
  ListBookingsQueryDto,
  RescheduleBookingDto,
  TokenQueryDto,
} from './dto/booking.dto';

@ApiTags('bookings')
@Controller('api')
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly changes: BookingChangesService,
  ) {}

  @Post('bookings')
  @ApiOperation({ summary: 'Book a session (public); honours Idempotency-Key' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiResponse({ status: 201, type: BookingOutDto })
  async create(
    @Body() dto: CreateBookingDto,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BookingOutDto> {
    const result = await this.bookings.create(dto, key, clientIp(req));
    reply.status(result.status);
    return result.body;
  }

  @Get('bookings')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: [BookingOutDto] })
  list(@CurrentUser() coach: User, @Query() q: ListBookingsQueryDto): Promise<BookingOutDto[]> {
    return this.bookings.listForCoach(coach.id, q);
  }

  @Get('me/bookings')
  @Auth()
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: [BookingOutDto] })
  mine(@CurrentUser() user: User): Promise<BookingOutDto[]> {
    return this.bookings.listForClient(user);
  }

  @Get('bookings/:id')
  @ApiResponse({ status: 200, type: BookingOutDto })
  get(
    @IdParam() id: string,
    @Query() q: TokenQueryDto,
    @Viewer() viewer: User | null,
  ): Promise<BookingOutDto> {
    return this.bookings.get(id, { viewer, token: q.token });
  }

  @Get('bookings/:id/ics')
  @ApiOperation({ summary: 'The booking as an iCalendar invite' })
  async ics(
    @IdParam() id: string,
    @Query() q: TokenQueryDto,
    @Viewer() viewer: User | null,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = await this.bookings.ics(id, { viewer, token: q.token });
    await reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', 'attachment; filename="session.ics"')
      .header('cache-control', 'no-store')
      .send(body);
  }

  @Post('bookings/:id/cancel')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CancelResultDto })
  cancel(
    @IdParam() id: string,
    @Body() dto: CancelBookingDto,
    @Viewer() viewer: User | null,
  ): Promise<CancelResultDto> {
    return this.changes.cancel(id, { viewer, token: dto.token }, dto.reason);
  }

  @Post('bookings/:id/reschedule')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: BookingOutDto })
  reschedule(
    @IdParam() id: string,
    @Body() dto: RescheduleBookingDto,
    @Viewer() viewer: User | null,
  ): Promise<BookingOutDto> {
    return this.changes.reschedule(id, { viewer, token: dto.token }, dto.start);
  }
}
