import { IdParam } from '../common/id-param';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { DomainError } from '../common/errors';
import { validateForm } from '../common/validation';
import { domainFormErrors, formBody, FormBody, renderForm, submitForm } from '../web/forms';
import { PageData, redirect, renderPage } from '../web/page';
import { CommentsService } from './comments/comments.service';
import { CreatePostDto, PostDto, UpdatePostDto } from './dto/post.dto';
import { NewsletterService } from './newsletter/newsletter.service';
import { commentsPage, subscribersPage } from './moderation-view';
import { renderMarkdown } from '../common/markdown';
import { ImagesService } from '../images/images.service';
import { TakesUploads } from '../images/uploads';
import { SchedulingService } from '../scheduling/scheduling.service';
import { instantToLocal, localToInstant } from './dates';
import {
  EditorBody,
  editorNotice,
  editorPage,
  EMPTY_POST,
  POST_FIELDS,
  postRows,
  postValues,
  PUBLISH_FIELDS,
  savedValues,
  text,
  uploadedFile,
} from './post-editor-view';
import { PostsService } from './posts/posts.service';

@ApiExcludeController()
@Controller('coach')
@Auth('coach')
export class CoachContentPagesController {
  constructor(
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly newsletter: NewsletterService,
    private readonly images: ImagesService,
    private readonly scheduling: SchedulingService,
  ) {}

  @Get('posts')
  async list(
    @Query('page') page: string | undefined,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const n = Math.max(1, Math.min(10_000, Number.parseInt(page ?? '1', 10) || 1));
    const list = await this.posts.list({ page: n, status: 'all' }, coach);
    const rows = postRows(list.posts, await this.zone(coach));
    await renderPage(req, reply, 'coach/posts', { title: 'Posts', list, rows });
  }

  @Get('posts/new')
  async newPost(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = await this.editorData(coach, null, null);
    await renderForm(req, reply, 'coach/post-editor', page, EMPTY_POST);
  }

  /** Renders the unsaved Markdown (sanitised) beside the editor, without JavaScript; saves no post (an image chosen is uploaded). */
  @Post('posts/preview')
  @TakesUploads()
  async preview(
    @Body() raw: EditorBody,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    const post = body.id ? await this.posts.byId(body.id) : null;
    let values = body;
    let refused: DomainError | null = null;
    try {
      values = await this.withUploads(raw);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500) throw e;
      refused = e;
    }
    const page = await this.editorData(coach, post, values.coverImageId, {
      preview: refused ? undefined : renderMarkdown(values.body ?? ''),
    });
    const errors = refused ? domainFormErrors(refused, POST_FIELDS) : undefined;
    await renderForm(req, reply, 'coach/post-editor', page, values, errors, refused?.status);
  }

  @Post('posts')
  @TakesUploads()
  async create(
    @Body() raw: EditorBody,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.savePost(req, reply, coach, null, raw);
  }

  @Get('posts/:id')
  async edit(
    @IdParam() id: string,
    @Query('saved') saved: string | undefined,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const post = await this.posts.byId(id);
    const page = await this.editorData(coach, post, post.coverImageId, {
      preview: post.html,
      notice: editorNotice(saved, post),
    });
    await renderForm(req, reply, 'coach/post-editor', page, savedValues(post));
  }

  @Post('posts/:id')
  @TakesUploads()
  async update(
    @IdParam() id: string,
    @Body() raw: EditorBody,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.savePost(req, reply, coach, await this.posts.byId(id), raw);
  }

  /**
   * The editor's save, new or existing: validate → upload what the form carries → save; on a
   * refusal the form comes back with the input (and any picture just uploaded) kept.
   */
  private async savePost(
    req: FastifyRequest,
    reply: FastifyReply,
    coach: User,
    post: PostDto | null,
    raw: EditorBody,
  ): Promise<void> {
    const body = formBody(raw);
    let shown: FormBody = body;
    await submitForm(req, reply, {
      template: 'coach/post-editor',
      page: () => this.editorData(coach, post, shown.coverImageId),
      fields: POST_FIELDS,
      body,
      keep: () => shown,
      codeFields: { SLUG_TAKEN: 'slug', CONFLICT: 'slug' },
      read: () =>
        post
          ? validateForm(UpdatePostDto, { ...postValues(body), slug: body.slug || post.slug })
          : validateForm(CreatePostDto, postValues(body)),
      save: async (value) => {
        shown = await this.withUploads(raw);
        const coverImageId = shown.coverImageId || null;
        if (!post) {
          const created = await this.posts.create(
            { ...value, title: value.title ?? '', body: shown.body ?? '', coverImageId },
            coach,
          );
          return `/coach/posts/${created.id}?saved=1`;
        }
        // validateForm drops empty strings; an emptied optional field means "clear it".
        await this.posts.update(post.id, {
          ...value,
          body: shown.body ?? '',
          excerpt: value.excerpt ?? '',
          tags: value.tags ?? [],
          coverImageId,
          coverAlt: value.coverAlt ?? null,
        });
        return `/coach/posts/${post.id}?saved=1`;
      },
    });
  }

  /** The editor's script saves a draft's text every few seconds (JSON answer; the form's CSRF token in a header). */
  @Post('posts/:id/autosave')
  async autosave(
    @IdParam() id: string,
    @Body() raw: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    const saved = await this.posts.autosave(id, { title: body.title ?? '', body: body.body ?? '' });
    await reply.status(200).header('cache-control', 'no-store').send(saved);
  }

  @Post('posts/:id/publish')
  async publish(
    @IdParam() id: string,
    @Body() raw: unknown,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    const post = await this.posts.byId(id);
    const zone = await this.zone(coach);
    const notify = body.notifySubscribers === 'on' || body.notifySubscribers === 'true';
    await submitForm<string | undefined>(req, reply, {
      template: 'coach/post-editor',
      page: () => this.editorData(coach, post, post.coverImageId, { preview: post.html }),
      fields: PUBLISH_FIELDS,
      body,
      values: savedValues(post),
      read: () => {
        if (!body.publishAt) return { ok: true, value: undefined };
        const instant = localToInstant(body.publishAt, zone);
        return instant ? { ok: true, value: instant } : { ok: false, errors: { publishAt: [] } };
      },
      save: async (publishAt) => {
        await this.posts.publish(id, notify, publishAt);
        return `/coach/posts/${id}?saved=${publishAt ? 'scheduled' : 'published'}`;
      },
    });
  }

  @Post('posts/:id/unpublish')
  async unpublish(@IdParam() id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.posts.unpublish(id);
    redirect(reply, `/coach/posts/${id}?saved=unpublished`);
  }

  @Post('posts/:id/delete')
  async remove(@IdParam() id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.posts.remove(id);
    redirect(reply, '/coach/posts');
  }

  /**
   * Uploads what the form carries: a new cover (replacing `coverImageId`) and an inline image
   * (appended to the body as Markdown). A refused picture is reported beside its own input.
   */
  private async withUploads(raw: EditorBody): Promise<FormBody> {
    const values: FormBody = { ...formBody(raw) };
    if (values.removeCover === 'on') values.coverImageId = '';
    const upload = async (field: string, data: Buffer, alt: string) => {
      try {
        return await this.images.upload(data, alt);
      } catch (e) {
        if (!(e instanceof DomainError) || e.details) throw e;
        throw new DomainError(e.code, e.message, { [field]: [e.message] });
      }
    };
    const cover = uploadedFile(raw.cover);
    if (cover) values.coverImageId = (await upload('cover', cover, text(raw.coverAlt))).id;
    const inline = uploadedFile(raw.inlineImage);
    if (inline) {
      const alt = text(raw.inlineAlt).trim();
      const image = await upload('inlineImage', inline, alt);
      values.body = `${(values.body ?? '').replace(/\s+$/, '')}\n\n![${alt.replace(/[[\]\\]/g, '\\$&')}](${image.url})\n`;
      values.inlineAlt = '';
    }
    return values;
  }

  private async zone(coach: User): Promise<string> {
    return (await this.scheduling.settings(coach.id)).timeZone;
  }

  /** The editor page's data besides the form values: the post, the coach's zone, the cover. */
  private async editorData(
    coach: User,
    post: PostDto | null,
    coverImageId: string | null | undefined,
    extra: Record<string, unknown> = {},
  ): Promise<PageData> {
    const zone = await this.zone(coach);
    const cover = await this.images.picture(coverImageId || null);
    const scheduled = post?.publishAt ? instantToLocal(post.publishAt, zone) : null;
    return editorPage(post, zone, scheduled, { cover, ...extra });
  }

  @Get('comments')
  async moderation(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [pending, approved, zone] = await Promise.all([
      this.comments.list('pending'),
      this.comments.list('approved'),
      this.zone(coach),
    ]);
    await renderPage(req, reply, 'coach/comments', commentsPage(pending, approved, zone));
  }

  @Post('comments/:id/:action')
  async moderate(
    @IdParam() id: string,
    @Param('action') action: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (action === 'approve') await this.comments.moderate(id, 'approved');
    else if (action === 'reject') await this.comments.moderate(id, 'rejected');
    else if (action === 'delete') await this.comments.remove(id);
    else throw new DomainError('NOT_FOUND', 'That action was not found.');
    redirect(reply, '/coach/comments');
  }

  @Get('subscribers')
  async subscribers(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [subscribers, counts, zone] = await Promise.all([
      this.newsletter.list(),
      this.newsletter.counts(),
      this.zone(coach),
    ]);
    await renderPage(req, reply, 'coach/subscribers', subscribersPage(subscribers, counts, zone));
  }

  @Get('subscribers.csv')
  async subscribersCsv(@Res() reply: FastifyReply): Promise<void> {
    const csv = await this.newsletter.csv();
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="mend-subscribers.csv"')
      .header('cache-control', 'no-store')
      .send(csv);
  }
}
