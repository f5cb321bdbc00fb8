import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { notFound } from '../common/errors';
import { CURRENCIES, formatPrice } from '../common/money';
import { validateForm } from '../common/validation';
import { IdParam } from '../common/id-param';
import {
  CodeFields,
  FormBody,
  FormFlow,
  FormRead,
  Notice,
  PagePost,
  PostedForm,
  renderForm,
  submitForm,
} from '../web/forms';
import { PageData, redirect } from '../web/page';
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

  /**
   * The create and edit forms: the same fields and errors, the API's DTO for each (a new type is
   * offered to clients at once), then back to the list.
   */
  private typeForm<T extends object>(
    form: PagePost,
    template: string,
    page: () => PageData | Promise<PageData>,
    dto: new () => T,
    save: (value: T) => Promise<string>,
  ): FormFlow<T> {
    const extra = dto === (CreateSessionTypeDto as unknown) ? { active: true } : {};
    return {
      template,
      page,
      fields: SESSION_TYPE_FIELDS,
      body: form.body,
      read: () => readSessionType(dto, form.body, extra),
      save,
      codeFields: SLUG_TAKEN,
      describe: describeSessionTypeError,
    };
  }

  @Post()
  async create(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const coachId = form.viewer!.id;
    const page = () => this.listPage(coachId, form.body);
    const flow = this.typeForm(form, 'coach/session-types', page, CreateSessionTypeDto, (value) =>
      this.scheduling
        .createSessionType(coachId, value)
        .then((type) => `/coach/session-types?created=${encodeURIComponent(type.slug)}`),
    );
    await submitForm(form.request, reply, flow);
  }

  @Get(':id/edit')
  async edit(
    @CurrentUser() coach: User,
    @IdParam() id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = (await this.scheduling.listSessionTypes(coach.id, true)).find((t) => t.id === id);
    if (!type) throw notFound('Session type');
    const values = sessionTypeValues(type);
    const page = { title: `Edit ${type.name}`, id, name: type.name, ...this.formChoices(values) };
    await renderForm(req, reply, 'coach/session-type-edit', page, values);
  }

  @Post(':id')
  async update(
    @IdParam() id: string,
    @PostedForm() form: PagePost,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const coachId = form.viewer!.id;
    const name = form.body.name ?? '';
    const page = () => ({ title: 'Edit session type', id, name, ...this.formChoices(form.body) });
    const flow = this.typeForm(
      form,
      'coach/session-type-edit',
      page,
      UpdateSessionTypeDto,
      (value) =>
        this.scheduling
          .updateSessionType(coachId, id, value)
          .then((type) => `/coach/session-types?saved=${encodeURIComponent(type.slug)}`),
    );
    await submitForm(form.request, reply, flow);
  }

  @Post(':id/toggle')
  async toggle(
    @CurrentUser() coach: User,
    @IdParam() id: string,
    @Body('active') active: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = await this.scheduling.updateSessionType(coach.id, id, {
      active: active === 'true',
    });
    redirect(reply, `/coach/session-types?saved=${encodeURIComponent(type.slug)}`);
  }
}
