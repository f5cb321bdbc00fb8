import { IdParam } from '../common/id-param';
import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../accounts/auth.decorators';
import { auditContextOf } from '../audit/audit-context';
import { FormBody, formBody, Notice, renderForm, submitForm } from '../web/forms';
import { PageData } from '../web/page';
import {
  GRANT_FORM,
  memberNotice,
  memberPage,
  membersNotice,
  membersPage,
  PROGRAM_FORM,
  programNotice,
  programPage,
  programValues,
  readGrantForm,
  readProgramForm,
  readRefundForm,
  readStepForm,
  readUnlockForm,
  REFUND_FORM,
  STEP_FORM,
  stepNotice,
  stepPage,
  unlockForm,
} from './coach-program-view';
import { EnrollmentsService } from './enrollments.service';
import { ProgramService } from './program.service';
import { StepParam } from './step-param';

/** The coach's program editor and members' progress (as far as members share it). */
@ApiExcludeController()
@Controller('coach')
@Auth('coach')
export class CoachProgramPagesController {
  constructor(
    private readonly program: ProgramService,
    private readonly enrollments: EnrollmentsService,
  ) {}

  @Get('program')
  async programPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('saved') saved?: string,
  ): Promise<void> {
    const program = await this.program.publicProgram();
    const page = programPage(program, programNotice(saved));
    await renderForm(req, reply, PROGRAM_FORM.template, page, programValues(program));
  }

  @Post('program')
  async saveProgram(@Body() raw: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await submitForm(req, reply, {
      ...PROGRAM_FORM,
      page: async () => programPage(await this.program.publicProgram()),
      body: formBody(raw),
      read: readProgramForm,
      save: (value) => this.program.update(value).then(() => '/coach/program?saved=1'),
    });
  }

  @Get('program/steps/:n')
  async stepPage(
    @StepParam() number: number,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('saved') saved?: string,
  ): Promise<void> {
    const step = await this.program.fullStep(number);
    const page = { ...stepPage(step.number, stepNotice(saved)), step };
    await renderForm(req, reply, STEP_FORM.template, page, {
      ...step,
      prompts: step.prompts.join('\n'),
    });
  }

  @Post('program/steps/:n')
  async saveStep(
    @StepParam() number: number,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await submitForm(req, reply, {
      ...STEP_FORM,
      page: () => stepPage(number),
      body: formBody(raw),
      read: readStepForm,
      save: (value) =>
        this.program.putStep(number, value).then(() => `/coach/program/steps/${number}?saved=1`),
    });
  }

  @Get('members')
  async members(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('notice') notice?: string,
  ): Promise<void> {
    await renderForm(req, reply, 'coach/members', await this.membersData(membersNotice(notice)), {
      email: '',
    });
  }

  @Post('members/grant')
  async grant(@Body() raw: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await submitForm(req, reply, {
      ...GRANT_FORM,
      page: () => this.membersData(),
      body: formBody(raw),
      read: readGrantForm,
      save: ({ email }) =>
        this.enrollments.grant(email).then(() => '/coach/members?notice=granted'),
    });
  }

  @Post('members/:id/unlock')
  async unlock(
    @IdParam() id: string,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await submitForm(req, reply, {
      ...unlockForm(id),
      page: () => this.membersData(),
      body: formBody(raw),
      values: { email: '' },
      read: readUnlockForm,
      save: ({ step }) =>
        this.enrollments.unlock(id, step).then(() => '/coach/members?notice=unlocked'),
    });
  }

  @Get('members/:id')
  async member(
    @IdParam() id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('refunded') refunded?: string,
  ): Promise<void> {
    const page = await this.memberData(id, req, memberNotice(refunded));
    await renderForm(req, reply, REFUND_FORM.template, page, {});
  }

  @Post('members/:id/refund')
  async refund(
    @IdParam() id: string,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body: FormBody = formBody(raw);
    await submitForm(req, reply, {
      ...REFUND_FORM,
      page: () => this.memberData(id, req),
      body,
      read: readRefundForm,
      save: () => this.enrollments.refund(id).then(() => `/coach/members/${id}?refunded=1`),
    });
  }

  private async membersData(notice?: Notice): Promise<PageData> {
    const [list, program] = await Promise.all([
      this.enrollments.coachList(),
      this.program.publicProgram(),
    ]);
    return membersPage(list, program, notice);
  }

  private async memberData(id: string, req: FastifyRequest, notice?: Notice): Promise<PageData> {
    const reflections = await this.enrollments.sharedReflections(id, auditContextOf(req));
    const [row] = await this.enrollments.coachList([id]);
    return memberPage(row, reflections, notice);
  }
}
