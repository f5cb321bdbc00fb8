import { IdParam } from '../common/id-param';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../accounts/auth.decorators';
import { auditContextOf } from '../audit/audit-context';
import { DomainError } from '../common/errors';
import { formatMoment } from '../common/dates';
import { CURRENCIES, formatMoney, readPriceField, toMajorInput } from '../common/money';
import { validateForm } from '../common/validation';
import { FieldSpecs, formBody, Notice, renderForm, submitForm } from '../web/forms';
import { redirect, renderPage } from '../web/page';
import { GrantDto, UnlockDto, UpdateProgramDto, UpdateStepDto } from './dto/program.dto';
import { EnrollmentsService } from './enrollments.service';
import { parseStepNumber, ProgramService } from './program.service';

type Form = Record<string, string | undefined>;

const PROGRAM_FIELDS: FieldSpecs = {
  title: 'Give the program a title (at most 200 characters).',
  description: 'Keep the description under 10,000 characters.',
  price: {},
  currency: 'Pick a currency from the list.',
  dripDays: 'Days between steps can be 0 to 365.',
};
const STEP_FIELDS: FieldSpecs = {
  title: 'Give the step a title (at most 200 characters).',
  summary: 'Keep the summary under 2,000 characters.',
  body: 'Keep the body under 50,000 characters.',
  prompts: 'Write at most 10 prompts, one per line, each under 1,000 characters.',
};

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
    const values = { ...program, price: toMajorInput(program.price, program.currency) };
    const notice: Notice | undefined =
      saved === '1'
        ? {
            text: 'Saved.',
            link: { href: '/program', text: 'See the program page as visitors do' },
          }
        : undefined;
    await renderForm(
      req,
      reply,
      'coach/program',
      { title: 'The 12 Steps: program', program, currencies: CURRENCIES, notice },
      values,
    );
  }

  @Post('program')
  async saveProgram(
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    await submitForm(req, reply, {
      template: 'coach/program',
      page: async () => ({
        title: 'The 12 Steps: program',
        program: await this.program.publicProgram(),
        currencies: CURRENCIES,
      }),
      fields: PROGRAM_FIELDS,
      body,
      read: async () => {
        const currency = (body.currency ?? '').toLowerCase();
        const price = readPriceField(body.price, currency);
        const form = await validateForm(UpdateProgramDto, {
          title: body.title,
          description: body.description ?? '',
          currency,
          dripDays: body.dripDays,
          price: price.ok ? String(price.minor) : '0',
        });
        // The API may leave the title out (a partial update); the page always sends one.
        const errors = {
          ...(body.title?.trim() ? {} : { title: ['title is empty'] }),
          ...(form.ok ? {} : form.errors),
          ...(price.ok ? {} : { price: [price.message] }),
          ...(CURRENCIES.some((c) => c.code === currency) ? {} : { currency: ['not in the list'] }),
        };
        return form.ok && !Object.keys(errors).length ? form : { ok: false, errors };
      },
      save: async (value) => {
        await this.program.update({ ...value, description: body.description ?? '' });
        return '/coach/program?saved=1';
      },
    });
  }

  @Get('program/steps/:n')
  async stepPage(
    @Param('n') n: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('saved') saved?: string,
  ): Promise<void> {
    const step = await this.program.fullStep(parseStepNumber(n));
    const notice: Notice | undefined =
      saved === '1'
        ? {
            text: 'Saved. Members see it when the step opens.',
            link: { href: '/program', text: 'See the program page' },
          }
        : undefined;
    await renderForm(
      req,
      reply,
      'coach/program-step',
      { title: `Edit step ${step.number}`, step, notice },
      { ...step, prompts: step.prompts.join('\n') },
    );
  }

  @Post('program/steps/:n')
  async saveStep(
    @Param('n') n: string,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const number = parseStepNumber(n);
    const body = formBody(raw);
    const dto = Object.assign(new UpdateStepDto(), {
      title: body.title ?? '',
      summary: body.summary ?? '',
      body: body.body ?? '',
      prompts: (body.prompts ?? '')
        .split(/\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean),
    });
    await submitForm(req, reply, {
      template: 'coach/program-step',
      page: () => ({ title: `Edit step ${number}`, step: { number } }),
      fields: STEP_FIELDS,
      body,
      read: async () => {
        const form = await validateForm(UpdateStepDto, {
          ...dto,
          summary: dto.summary || ' ',
          body: dto.body || ' ',
        });
        return form.ok ? { ok: true, value: dto } : form;
      },
      save: async (value) => {
        await this.program.putStep(number, value);
        return `/coach/program/steps/${number}?saved=1`;
      },
    });
  }

  @Get('members')
  async members(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('notice') notice?: string,
  ): Promise<void> {
    await this.renderMembers(
      req,
      reply,
      notice === 'granted'
        ? 'Enrolled. They have a welcome mail (and a link to set a password if they were new).'
        : notice === 'unlocked'
          ? 'Step opened for that member.'
          : null,
    );
  }

  @Post('members/grant')
  async grant(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(GrantDto, { email: body.email });
    if (!form.ok)
      return this.renderMembers(
        req,
        reply,
        null,
        'Please enter a valid email address.',
        body.email,
        400,
      );
    try {
      await this.enrollments.grant(form.value.email);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return this.renderMembers(req, reply, null, e.message, body.email, e.status);
    }
    redirect(reply, '/coach/members?notice=granted');
  }

  @Get('members/:id')
  async member(
    @IdParam() id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('refunded') refunded?: string,
  ): Promise<void> {
    await this.renderMember(
      id,
      req,
      reply,
      null,
      200,
      refunded === '1'
        ? 'Refunded. Their access to the steps has ended; their reflections remain theirs.'
        : null,
    );
  }

  private async renderMember(
    id: string,
    req: FastifyRequest,
    reply: FastifyReply,
    error: string | null,
    status = 200,
    notice: string | null = null,
  ): Promise<void> {
    const reflections = await this.enrollments.sharedReflections(id, auditContextOf(req));
    const [row] = await this.enrollments.coachList([id]);
    await renderPage(
      req,
      reply,
      'coach/member',
      {
        title: row ? `${row.member.displayName}: shared reflections` : 'Shared reflections',
        member: row ?? null,
        reflections: reflections.map((r) => ({
          ...r,
          updatedLabel: formatMoment(r.updatedAt, null),
        })),
        error,
        notice,
      },
      status,
    );
  }

  @Post('members/:id/refund')
  async refund(
    @IdParam() id: string,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (body.confirm !== 'yes')
      return this.renderMember(id, req, reply, 'Please tick the box to confirm the refund.', 400);
    try {
      await this.enrollments.refund(id);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return this.renderMember(id, req, reply, e.message, e.status);
    }
    redirect(reply, `/coach/members/${id}?refunded=1`);
  }

  @Post('members/:id/unlock')
  async unlock(
    @IdParam() id: string,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(UnlockDto, { step: body.step });
    if (!form.ok)
      return this.renderMembers(req, reply, null, 'Choose a step between 1 and 12.', '', 400);
    try {
      await this.enrollments.unlock(id, form.value.step);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return this.renderMembers(req, reply, null, e.message, '', e.status);
    }
    redirect(reply, '/coach/members?notice=unlocked');
  }

  private async renderMembers(
    req: FastifyRequest,
    reply: FastifyReply,
    notice: string | null,
    error: string | null = null,
    email = '',
    status = 200,
  ): Promise<void> {
    const list = await this.enrollments.coachList();
    const program = await this.program.publicProgram();
    await renderPage(
      req,
      reply,
      'coach/members',
      {
        title: 'Members of the 12 Steps',
        members: list.map((m) => ({ ...m, activatedLabel: formatMoment(m.activatedAt, null) })),
        price: formatMoney(program.price, program.currency),
        notice,
        error,
        email,
      },
      status,
    );
  }
}
