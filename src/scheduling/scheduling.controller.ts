import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser, Viewer } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { AvailabilityDto } from './dto/availability.dto';
import {
  CreateSessionTypeDto,
  SessionTypeOutDto,
  UpdateSessionTypeDto,
} from './dto/session-type.dto';
import { CoachSettingsDto, SlotsOutDto, SlotsQueryDto } from './dto/settings.dto';
import { CreateTimeOffDto, TimeOffOutDto } from './dto/time-off.dto';
import { SchedulingService } from './scheduling.service';

@ApiTags('scheduling')
@Controller('api')
export class SchedulingController {
  constructor(private readonly scheduling: SchedulingService) {}

  @Get('availability')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: AvailabilityDto })
  getAvailability(@CurrentUser() coach: User): Promise<AvailabilityDto> {
    return this.scheduling.getAvailability(coach.id);
  }

  @Put('availability')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: AvailabilityDto })
  putAvailability(
    @CurrentUser() coach: User,
    @Body() dto: AvailabilityDto,
  ): Promise<AvailabilityDto> {
    return this.scheduling.putAvailability(coach.id, dto);
  }

  @Get('time-off')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: [TimeOffOutDto] })
  listTimeOff(@CurrentUser() coach: User): Promise<TimeOffOutDto[]> {
    return this.scheduling.listTimeOff(coach.id);
  }

  @Post('time-off')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 201, type: TimeOffOutDto })
  createTimeOff(@CurrentUser() coach: User, @Body() dto: CreateTimeOffDto): Promise<TimeOffOutDto> {
    return this.scheduling.createTimeOff(coach.id, dto);
  }

  @Delete('time-off/:id')
  @HttpCode(204)
  @Auth('coach')
  @ApiBearerAuth()
  deleteTimeOff(@CurrentUser() coach: User, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.scheduling.deleteTimeOff(coach.id, id);
  }

  @Get('session-types')
  @ApiOperation({ summary: 'Active session types (public); the coach also sees her hidden ones' })
  @ApiResponse({ status: 200, type: [SessionTypeOutDto] })
  listSessionTypes(@Viewer() viewer: User | null): Promise<SessionTypeOutDto[]> {
    const coach = viewer?.role === 'coach' ? viewer.id : null;
    return this.scheduling.listSessionTypes(coach, coach !== null);
  }

  @Post('session-types')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 201, type: SessionTypeOutDto })
  createSessionType(
    @CurrentUser() coach: User,
    @Body() dto: CreateSessionTypeDto,
  ): Promise<SessionTypeOutDto> {
    return this.scheduling.createSessionType(coach.id, dto);
  }

  @Patch('session-types/:id')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: SessionTypeOutDto })
  updateSessionType(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSessionTypeDto,
  ): Promise<SessionTypeOutDto> {
    return this.scheduling.updateSessionType(coach.id, id, dto);
  }

  @Get('session-types/:slug/slots')
  @ApiOperation({ summary: 'Open slots of a session type between two local dates (public)' })
  @ApiResponse({ status: 200, type: SlotsOutDto })
  // A SlotsOutDto, serialised by SlotFinder.slotsJson (hundreds of instants: cheaper than an object each).
  @Header('content-type', 'application/json; charset=utf-8')
  slots(@Param('slug') slug: string, @Query() q: SlotsQueryDto): Promise<string> {
    return this.scheduling.slotsJson(slug, q.from, q.to, q.timeZone);
  }

  @Get('coach/settings')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: CoachSettingsDto })
  getSettings(@CurrentUser() coach: User): Promise<CoachSettingsDto> {
    return this.scheduling.getSettings(coach.id);
  }

  @Put('coach/settings')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: CoachSettingsDto })
  putSettings(
    @CurrentUser() coach: User,
    @Body() dto: CoachSettingsDto,
  ): Promise<CoachSettingsDto> {
    return this.scheduling.putSettings(coach.id, dto);
  }
}
