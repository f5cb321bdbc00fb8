import { Body, Controller, Get, Headers, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser, Viewer } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { redirect, renderPage } from '../web/page';
import { MyProgramDto, REFLECTION_MAX } from './dto/program.dto';
import { EnrollmentsService } from './enrollments.service';
import { ProgramService } from './program.service';
import { StepParam } from './step-param';
import {
  programIndexPage,
  SHARE_NOTHING_SAVED,
  SHARE_UNCONFIRMED,
  stepPage,
  StepPageState,
  stepsPage,
  tooLongMessage,
} from './program-view';
import { ProgressService } from './progress.service';

type Form = Record<string, string | undefined>;

const query = (req: FastifyRequest): Record<string, string | undefined> =>
  req.query as Record<string, string | undefined>;

/** The public program page, the member's 12 Steps and the step pages (same services as the API). */
@ApiExcludeController()
@Controller('program')
export class ProgramPagesController {
  constructor(
    private readonly program: ProgramService,
    private readonly progress: ProgressService,
    private readonly enrollments: EnrollmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async index(
    @Viewer() viewer: User | null,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderIndex(viewer, req, reply);
  }

  private async renderIndex(
    viewer: User | null,
    req: FastifyRequest,
    reply: FastifyReply,
    error?: string,
    status = 200,
  ): Promise<void> {
    const program = await this.program.publicProgram();
    let membership: MyProgramDto | null = null;
    if (viewer)
      membership = await this.progress.overview(viewer.id).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'NOT_ENROLLED') return null;
        throw e;
      });
    const pending =
      viewer && !membership ? await this.progress.hasPendingEnrollment(viewer.id) : false;
    const page = programIndexPage(program, viewer?.role ?? null, membership, pending, error);
    await renderPage(req, reply, 'program/index', page, status);
  }

  @Get('enroll')
  enrollGet(@Res() reply: FastifyReply): void {
    redirect(reply, '/program');
  }

  @Post('enroll')
  @Auth()
  async enroll(
    @CurrentUser() user: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const { checkoutUrl } = await this.enrollments.enroll(user);
      // Mend's own test checkout page: follow it as a path (works behind any host name); Stripe's: as is.
      if (checkoutUrl.startsWith(`${this.config.publicUrl}/`))
        return redirect(reply, checkoutUrl.slice(this.config.publicUrl.length));
      // The URL comes from the payments module (Stripe's hosted checkout), never from the request.
      void reply.redirect(checkoutUrl, 303);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'ALREADY_ENROLLED')
        return redirect(reply, '/program/steps');
      if (!(e instanceof DomainError)) throw e;
      await this.renderIndex(user, req, reply, e.message, e.status);
    }
  }

  @Get('steps')
  @Auth()
  async steps(
    @CurrentUser() user: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    let me: MyProgramDto;
    try {
      me = await this.progress.overview(user.id);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'NOT_ENROLLED')) throw e;
      // Back from a checkout before the payment's confirmation arrived: say so rather than offer to pay again.
      if (await this.progress.hasPendingEnrollment(user.id)) {
        return renderPage(req, reply, 'program/pending', { title: 'Confirming your payment' });
      }
      return redirect(reply, '/program');
    }
    const program = await this.program.publicProgram();
    await renderPage(
      req,
      reply,
      'program/steps',
      stepsPage(me, program, user.timeZone, query(req)),
    );
  }

  /** Progress sharing: turning it on is its own confirmed action (a ticked box); turning it off needs nothing more. */
  @Post('share')
  @Auth()
  async share(
    @CurrentUser() user: User,
    @Body() body: Form,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const on = body.shareProgress === 'true';
    if (on && body.confirm !== 'yes') return redirect(reply, '/program/steps?confirm=share');
    await this.progress.setShareProgress(user.id, on);
    redirect(reply, `/program/steps?sharing=${on ? 'on' : 'off'}`);
  }

  @Get('steps/:n')
  @Auth()
  async step(
    @CurrentUser() user: User,
    @StepParam() number: number,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.showStep(req, reply, user, number);
  }

  /** Saves the reflection (and, with action=complete, marks the step complete) in one form, so no text is ever left behind. */
  @Post('steps/:n')
  @Auth()
  async save(
    @CurrentUser() user: User,
    @StepParam() number: number,
    @Body() body: Form,
    @Headers('x-autosave') autosaveHeader: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const autosave = autosaveHeader === '1';
    // A post without the field (a broken or stale form) must never blank a saved reflection.
    if (typeof body.text !== 'string') {
      if (autosave)
        return void reply
          .status(400)
          .send({ code: 'VALIDATION_FAILED', message: 'text is required.' });
      return redirect(reply, `/program/steps/${number}`);
    }
    const text = body.text.replace(/\r\n/g, '\n');
    if (text.length > REFLECTION_MAX) {
      if (autosave)
        return void reply
          .status(400)
          .send({ code: 'VALIDATION_FAILED', message: `At most ${REFLECTION_MAX} characters.` });
      const error = tooLongMessage(text.length);
      return this.showStep(req, reply, user, number, { text, error }, 400);
    }
    // Saving (by the button or autosave) never changes who can read the reflection: sharing has its own form.
    const saved = await this.progress.saveReflection(user.id, number, { text });
    if (autosave)
      return void reply
        .status(200)
        .header('cache-control', 'no-store')
        .send({ savedAt: saved.updatedAt });
    if (body.action === 'complete') {
      const me = await this.progress.complete(user.id, number);
      const next = me.steps[number];
      return redirect(
        reply,
        next && next.status === 'available'
          ? `/program/steps/${number + 1}?opened=1`
          : `/program/steps?completed=${number}`,
      );
    }
    return redirect(reply, `/program/steps/${number}?saved=1`);
  }

  /**
   * Sharing a reflection with the coach is its own action, confirmed by a ticked box; making it
   * private again needs no confirmation. Only the saved text is shared.
   */
  @Post('steps/:n/sharing')
  @Auth()
  async sharing(
    @CurrentUser() user: User,
    @StepParam() number: number,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const share = body.sharedWithCoach === 'true';
    if (share && body.confirm !== 'yes')
      return this.showStep(req, reply, user, number, { sharingError: SHARE_UNCONFIRMED }, 400);
    try {
      await this.progress.setReflectionShared(user.id, number, share);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'NOT_FOUND')) throw e;
      const state = { text: '', sharingError: SHARE_NOTHING_SAVED };
      return this.showStep(req, reply, user, number, state, 409);
    }
    redirect(reply, `/program/steps/${number}?${share ? 'shared=1' : 'private=1'}#sharing-heading`);
  }

  /** A step page for the member: the step, her reflection (or the text she typed), messages. */
  private async showStep(
    req: FastifyRequest,
    reply: FastifyReply,
    user: User,
    number: number,
    state: StepPageState = {},
    status = 200,
  ): Promise<void> {
    const detail = await this.progress.stepDetail(user.id, number);
    await renderPage(
      req,
      reply,
      'program/step',
      stepPage(detail, user.timeZone, query(req), state),
      status,
    );
  }
}
