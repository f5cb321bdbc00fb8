import { IdParam } from '../common/id-param';
import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { CalendarsService } from './calendars.service';
import { CalendarOutDto, CalendarSyncOutDto, CreateCalendarDto } from './dto/calendar.dto';

@ApiTags('calendars')
@Controller('api/calendars')
@Auth('coach')
@ApiBearerAuth()
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  @ApiResponse({ status: 200, type: [CalendarOutDto] })
  list(@CurrentUser() coach: User): Promise<CalendarOutDto[]> {
    return this.calendars.list(coach.id);
  }

  @Post()
  @ApiOperation({
    summary: 'Subscribe to one of your other calendars by its iCal address (synced once now)',
  })
  @ApiResponse({ status: 201, type: CalendarOutDto })
  create(@CurrentUser() coach: User, @Body() dto: CreateCalendarDto): Promise<CalendarOutDto> {
    return this.calendars.create(coach.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() coach: User, @IdParam() id: string): Promise<void> {
    return this.calendars.remove(coach.id, id);
  }

  @Post(':id/sync')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: CalendarSyncOutDto })
  sync(@CurrentUser() coach: User, @IdParam() id: string): Promise<CalendarSyncOutDto> {
    return this.calendars.syncForCoach(coach.id, id);
  }
}
