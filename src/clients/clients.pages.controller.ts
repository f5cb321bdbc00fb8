import { IdParam } from '../common/id-param';
import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { clearSessionCookie } from '../accounts/session-cookie';
import { User } from '../accounts/user.entity';
import { auditContextOf } from '../audit/audit-context';
import { DELETION_SCOPE } from '../accounts/deletion-scope';
import { DomainError } from '../common/errors';
import { Notice, PagePost, PostedForm, renderForm, submitForm } from '../web/forms';
import { PageData, redirect, renderPage } from '../web/page';
import { ClientNotesService } from './client-notes.service';
import { exportView } from './export-view';
import { clientDetailView } from './client-detail-view';
import { pickLocale } from '../common/dates';
import { SchedulingService } from '../scheduling/scheduling.service';
import { ClientsService } from './clients.service';
import { DataRightsService } from './data-rights.service';
import { ClientNoteInDto } from './dto/clients.dto';
import { validateForm } from '../common/validation';

const NOTE_FIELDS = {
  text: { id: 'note-text', message: 'Write the note first (at most 20 000 characters).' },
};

@ApiExcludeController()
@Controller()
export class ClientsPagesController {
  constructor(
    private readonly clients: ClientsService,
    private readonly dataRights: DataRightsService,
    private readonly notes: ClientNotesService,
    private readonly scheduling: SchedulingService,
  ) {}

  @Get('coach/clients')
  @Auth('coach')
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('search') search?: string,
  ): Promise<void> {
    const term = typeof search === 'string' ? search.slice(0, 100) : '';
    await renderPage(req, reply, 'clients/list', {
      title: 'Clients',
      search: term,
      clients: await this.clients.list(term),
    });
  }

  @Get('coach/clients/:id')
  @Auth('coach')
  async detail(
    @IdParam() id: string,
    @Query('saved') saved: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const notice: Notice | undefined =
      saved === 'note' ? { text: 'Your note is saved. Only you can read it.' } : undefined;
    await renderForm(req, reply, 'clients/detail', await this.detailPage(id, req, notice), {});
  }

  @Post('coach/clients/:id/notes')
  @Auth('coach')
  async addNote(
    @IdParam() id: string,
    @PostedForm() form: PagePost,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const coachId = form.viewer!.id;
    await submitForm(form.request, reply, {
      template: 'clients/detail',
      page: () => this.detailPage(id, form.request),
      fields: NOTE_FIELDS,
      body: form.body,
      read: (body) => validateForm(ClientNoteInDto, { text: body.text }),
      save: (value) =>
        this.notes
          .add(id, coachId, value.text)
          .then(() => `/coach/clients/${encodeURIComponent(id)}?saved=note#notes-h`),
    });
  }

  /** The client's page; reading her notes is recorded in the audit trail (never their text). */
  private async detailPage(id: string, req: FastifyRequest, notice?: Notice): Promise<PageData> {
    const client = await this.clients.detail(id);
    const notes = await this.notes.list(id, auditContextOf(req));
    const zone = (await this.scheduling.settings(req.viewer!.id)).timeZone;
    const locale = pickLocale(req.headers['accept-language']);
    const view = clientDetailView(client, notes, zone, locale);
    return { title: client.profile.displayName, ...view, notice };
  }

  /** The same export as GET /api/me/export, as a page a person can read (times in their zone). */
  @Get('account/export')
  @Auth()
  async exportPage(
    @CurrentUser() user: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const data = await this.dataRights.exportFor(user, auditContextOf(req));
    reply.header('cache-control', 'no-store');
    await renderPage(req, reply, 'clients/export', {
      title: 'Your data',
      sections: exportView({ ...data }, user.timeZone),
    });
  }

  /** The same export as GET /api/me/export, as a download for the signed-in page session. */
  @Get('account/export.json')
  @Auth()
  async export(
    @CurrentUser() user: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const data = await this.dataRights.exportFor(user, auditContextOf(req));
    await reply
      .header('content-disposition', 'attachment; filename="mend-my-data.json"')
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  }

  @Get('account/delete')
  @Auth()
  async deletePage(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await renderPage(req, reply, 'clients/delete-account', {
      title: 'Delete your account',
      scope: DELETION_SCOPE,
    });
  }

  @Post('account/delete')
  @Auth()
  async delete(
    @CurrentUser() user: User,
    @Body() body: Record<string, string | undefined>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.dataRights.erase(
        user,
        typeof body.password === 'string' ? body.password : '',
        auditContextOf(req),
      );
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return renderPage(
        req,
        reply,
        'clients/delete-account',
        { title: 'Delete your account', scope: DELETION_SCOPE, error: e.message },
        e.status,
      );
    }
    clearSessionCookie(reply);
    redirect(reply, '/?deleted=1');
  }
}
