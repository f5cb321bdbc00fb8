import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { notFound } from '../common/errors';
import { CURRENCIES, formatPrice } from '../common/money';
import { validateForm } from '../common/validation';
import {
  CodeFields,
  FormBody,
  formBody,
  FormRead,
  Notice,
  renderForm,
  submitForm,
} from '../web/forms';
import { redirect } from '../web/page';
import {
  CreateSessionTypeDto,
  SessionTypeOutDto,
  UpdateSessionTypeDto,
} from './dto/session-type.dto';
import { SchedulingService } from './scheduling.service';
import {
  describeSessionTypeError,
  NEW_TYPE_VALUES,
  SESSION_TYPE_FIELDS,
  sessionTypeInput,
  sessionTypeValues,
  stepChoices,
} from './session-type-form';

/** Validates the page's fields with the API's own DTO, after the page's conversions (money, hours). */
async function readSessionType<T extends object>(
  dto: new () => T,
  body: FormBody,
  extra: Record<string, unknown> = {},
): Promise<FormRead<T>> {
  const { raw, errors } = sessionTypeInput(body);
  const form = await validateForm(dto, { ...raw, ...extra });
  if (form.ok && !Object.keys(errors).length) return form;
  return { ok: false, errors: { ...(form.ok ? {} : form.errors), ...errors } };
}

const SLUG_TAKEN: CodeFields = {
  CONFLICT: {
    field: 'slug',
    message: 'Another session type already uses this web address: choose another.',
  },
};

/** Notice in hours for the list ("24 h notice"), from the API's minutes. */
const noticeText = (minutes: number) =>
  minutes % 60 === 0 ? `${minutes / 60} h notice` : `${minutes} min notice`;

/** The coach's session types: the list, the new-type form and the edit form. */
@ApiExcludeController()
@Controller('coach/session-types')
@Auth('coach')
export class SessionTypesPagesController {
  constructor(private readonly scheduling: SchedulingService) {}

  private formChoices(values: FormBody) {
    return { currencies: CURRENCIES, steps: stepChoices(values.slotIntervalMinutes) };
  }

  private async listPage(coachId: string, values: FormBody, notice?: Notice) {
    const types = await this.scheduling.listSessionTypes(coachId, true);
    return {
      title: 'Session types',
      types: types.map((t) => ({
        ...t,
        priceText: formatPrice(t.price, t.currency),
        noticeText: noticeText(t.minimumNoticeMinutes),
      })),
      notice,
      ...this.formChoices(values),
    };
  }

  private notice(
    types: SessionTypeOutDto[],
    query: Record<string, string | undefined>,
  ): Notice | undefined {
    const slug = query.created ?? query.saved;
    const type = slug ? types.find((t) => t.slug === slug) : undefined;
    if (!type) return undefined;
    const verb = query.created ? 'is ready' : 'is saved';
    if (!type.active)
      return { text: `“${type.name}” ${verb}. It is hidden from clients until you offer it.` };
    return {
      text: `“${type.name}” ${verb}. Clients book it at`,
      link: { href: `/book/${type.slug}`, text: `/book/${type.slug}` },
    };
  }

  @Get()
  async list(
    @CurrentUser() coach: User,
    @Query() query: Record<string, string | undefined>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const types = await this.scheduling.listSessionTypes(coach.id, true);
    await renderForm(
      req,
      reply,
      'coach/session-types',
      await this.listPage(coach.id, NEW_TYPE_VALUES, this.notice(types, query)),
      NEW_TYPE_VALUES,
    );
  }

  @Post()
  async create(
    @CurrentUser() coach: User,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    await submitForm(req, reply, {
      template: 'coach/session-types',
      page: () => this.listPage(coach.id, body),
      fields: SESSION_TYPE_FIELDS,
      body,
      read: () => readSessionType(CreateSessionTypeDto, body, { active: true }),
      save: async (value) => {
        const type = await this.scheduling.createSessionType(coach.id, value);
        return `/coach/session-types?created=${encodeURIComponent(type.slug)}`;
      },
      codeFields: SLUG_TAKEN,
      describe: describeSessionTypeError,
    });
  }

  @Get(':id/edit')
  async edit(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = (await this.scheduling.listSessionTypes(coach.id, true)).find((t) => t.id === id);
    if (!type) throw notFound('Session type');
    const values = sessionTypeValues(type);
    await renderForm(
      req,
      reply,
      'coach/session-type-edit',
      { title: `Edit ${type.name}`, id, name: type.name, ...this.formChoices(values) },
      values,
    );
  }

  @Post(':id')
  async update(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    await submitForm(req, reply, {
      template: 'coach/session-type-edit',
      page: () => ({
        title: 'Edit session type',
        id,
        name: body.name ?? '',
        ...this.formChoices(body),
      }),
      fields: SESSION_TYPE_FIELDS,
      body,
      read: () => readSessionType(UpdateSessionTypeDto, body),
      save: async (value) => {
        const type = await this.scheduling.updateSessionType(coach.id, id, value);
        return `/coach/session-types?saved=${encodeURIComponent(type.slug)}`;
      },
      codeFields: SLUG_TAKEN,
      describe: describeSessionTypeError,
    });
  }

  @Post(':id/toggle')
  async toggle(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = await this.scheduling.updateSessionType(coach.id, id, {
      active: body.active === 'true',
    });
    redirect(reply, `/coach/session-types?saved=${encodeURIComponent(type.slug)}`);
  }
}
