import { IdParam } from '../common/id-param';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { RefundSummary } from '../payments/payable';
import { User } from '../accounts/user.entity';
import { Audit, AuditContext } from '../audit/audit-context';
import {
  CoachEnrollmentDto,
  EnrollmentCreatedDto,
  GrantDto,
  MemberStepDetailDto,
  MyProgramDto,
  ProgramDto,
  ProgramStepFullDto,
  ReflectionDto,
  ReflectionOutDto,
  SharedReflectionDto,
  ShareProgressDto,
  UnlockDto,
  UpdateProgramDto,
  UpdateStepDto,
} from './dto/program.dto';
import { EnrollmentsService } from './enrollments.service';
import { parseStepNumber, ProgramService } from './program.service';
import { ProgressService } from './progress.service';

@ApiTags('program')
@Controller('api/program')
export class ProgramController {
  constructor(
    private readonly program: ProgramService,
    private readonly enrollments: EnrollmentsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The program: description, price, drip, and the steps’ public titles and summaries',
  })
  @ApiResponse({ status: 200, type: ProgramDto })
  get(): Promise<ProgramDto> {
    return this.program.publicProgram();
  }

  @Patch()
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: ProgramDto })
  update(@Body() dto: UpdateProgramDto): Promise<ProgramDto> {
    return this.program.update(dto);
  }

  @Get('steps/:n')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A step with its Markdown body and prompts (coach, for editing)' })
  @ApiResponse({ status: 200, type: ProgramStepFullDto })
  step(@Param('n') n: string): Promise<ProgramStepFullDto> {
    return this.program.fullStep(parseStepNumber(n));
  }

  @Put('steps/:n')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: ProgramStepFullDto })
  putStep(@Param('n') n: string, @Body() dto: UpdateStepDto): Promise<ProgramStepFullDto> {
    return this.program.putStep(parseStepNumber(n), dto);
  }

  @Post('enrollments')
  @Auth()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Enroll: a pending enrollment and a checkout URL (409 ALREADY_ENROLLED)',
  })
  @ApiResponse({ status: 201, type: EnrollmentCreatedDto })
  enroll(@CurrentUser() user: User): Promise<EnrollmentCreatedDto> {
    return this.enrollments.enroll(user);
  }

  @Post('enrollments/grant')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Enroll someone without payment (creates a passwordless account and mails a set-password link if needed)',
  })
  @ApiResponse({ status: 201, type: CoachEnrollmentDto })
  grant(@Body() dto: GrantDto): Promise<CoachEnrollmentDto> {
    return this.enrollments.grant(dto.email);
  }

  @Get('enrollments')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Members, status, and progress only where the member shares it' })
  @ApiResponse({ status: 200, type: [CoachEnrollmentDto] })
  list(): Promise<CoachEnrollmentDto[]> {
    return this.enrollments.coachList();
  }

  @Get('enrollments/:id/reflections')
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Only the reflections the member shared' })
  @ApiResponse({ status: 200, type: [SharedReflectionDto] })
  reflections(@IdParam() id: string, @Audit() ctx: AuditContext): Promise<SharedReflectionDto[]> {
    return this.enrollments.sharedReflections(id, ctx);
  }

  @Post('enrollments/:id/refund')
  @HttpCode(200)
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Refund a paid enrollment in full; access to the steps ends now (the member keeps their reflections)',
  })
  refund(@IdParam() id: string): Promise<{ id: string; status: string; refund: RefundSummary }> {
    return this.enrollments.refund(id);
  }

  @Post('enrollments/:id/unlock')
  @HttpCode(200)
  @Auth('coach')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Open one step for one member now' })
  unlock(
    @IdParam() id: string,
    @Body() dto: UnlockDto,
  ): Promise<{ step: number; openedAt: string }> {
    return this.enrollments.unlock(id, dto.step);
  }
}

@ApiTags('program')
@Controller('api/me/program')
@Auth()
export class MyProgramController {
  constructor(private readonly progress: ProgressService) {}

  @Get()
  @ApiOperation({ summary: 'My enrollment, progress and every step’s status (403 NOT_ENROLLED)' })
  @ApiResponse({ status: 200, type: MyProgramDto })
  overview(@CurrentUser() user: User): Promise<MyProgramDto> {
    return this.progress.overview(user.id);
  }

  @Patch()
  @ApiOperation({ summary: 'Share my progress with the coach, or stop sharing it' })
  @ApiResponse({ status: 200, type: MyProgramDto })
  share(@CurrentUser() user: User, @Body() dto: ShareProgressDto): Promise<MyProgramDto> {
    return this.progress.setShareProgress(user.id, dto.shareProgress);
  }

  @Get('steps/:n')
  @ApiOperation({ summary: 'An open step with my reflection (403 NOT_ENROLLED / STEP_LOCKED)' })
  @ApiResponse({ status: 200, type: MemberStepDetailDto })
  step(@CurrentUser() user: User, @Param('n') n: string): Promise<MemberStepDetailDto> {
    return this.progress.stepDetail(user.id, parseStepNumber(n));
  }

  @Put('steps/:n/reflection')
  @ApiOperation({
    summary: 'Save my reflection (≤ 20 000 characters; private unless sharedWithCoach)',
  })
  @ApiResponse({ status: 200, type: ReflectionOutDto })
  reflect(
    @CurrentUser() user: User,
    @Param('n') n: string,
    @Body() dto: ReflectionDto,
  ): Promise<ReflectionOutDto> {
    return this.progress.saveReflection(user.id, parseStepNumber(n), dto);
  }

  @Post('steps/:n/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a step complete; the next opens by the unlocking rule' })
  @ApiResponse({ status: 200, type: MyProgramDto })
  complete(@CurrentUser() user: User, @Param('n') n: string): Promise<MyProgramDto> {
    return this.progress.complete(user.id, parseStepNumber(n));
  }
}
