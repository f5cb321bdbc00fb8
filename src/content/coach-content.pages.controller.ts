import { IdParam } from '../common/id-param';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { DomainError } from '../common/errors';
import { validateForm } from '../common/validation';
import { redirect, renderPage } from '../web/page';
import { CommentsService } from './comments/comments.service';
import { CreatePostDto, PostDto, UpdatePostDto } from './dto/post.dto';
import { NewsletterService } from './newsletter/newsletter.service';
import { renderMarkdown } from '../common/markdown';
import { ImagesService } from '../images/images.service';
import { TakesUploads } from '../images/uploads';
import { SchedulingService } from '../scheduling/scheduling.service';
import { instantToLocal, localToInstant, longDate } from './dates';
import { PostsService } from './posts/posts.service';

type Form = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const file = (v: unknown): Buffer | null => (Buffer.isBuffer(v) && v.length > 0 ? v : null);

/** The editor's form values as the DTOs expect them (tags comma-separated, blanks dropped). */
function postValues(body: Form): Record<string, unknown> {
  return {
    title: text(body.title),
    slug: text(body.slug) || undefined,
    excerpt: text(body.excerpt),
    body: text(body.body),
    tags: text(body.tags)
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    coverAlt: text(body.coverAlt) || undefined,
  };
}

/** What the editor form shows for a saved post. */
function savedValues(post: PostDto): Record<string, string> {
  return {
    title: post.title,
    slug: post.slug,
    excerpt: post.excerpt,
    body: post.body,
    tags: post.tags.join(', '),
    coverImageId: post.coverImageId ?? '',
    coverAlt: post.coverAlt ?? '',
  };
}

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
    await renderPage(req, reply, 'coach/posts', { title: 'Posts', list, longDate });
  }

  @Get('posts/new')
  async newPost(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderEditor(
      req,
      reply,
      coach,
      null,
      { title: '', slug: '', excerpt: '', body: '', tags: '', coverImageId: '', coverAlt: '' },
      {},
    );
  }

  /** Renders the unsaved Markdown (sanitised) beside the editor, without JavaScript; saves no post (an image chosen is uploaded). */
  @Post('posts/preview')
  @TakesUploads()
  async preview(
    @Body() body: Form,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const post = text(body.id) ? await this.posts.byId(text(body.id)) : null;
    const uploaded = await this.withUploads(body);
    if (!uploaded.ok)
      return this.renderEditor(
        req,
        reply,
        coach,
        post,
        body,
        { error: uploaded.error.message },
        uploaded.error.status,
      );
    const values = uploaded.values;
    await this.renderEditor(req, reply, coach, post, values, {
      preview: renderMarkdown(text(values.body)),
    });
  }

  @Post('posts')
  @TakesUploads()
  async create(
    @Body() body: Form,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(CreatePostDto, postValues(body));
    if (!form.ok)
      return this.renderEditor(req, reply, coach, null, body, { errors: form.errors }, 400);
    const uploaded = await this.withUploads(body);
    if (!uploaded.ok)
      return this.renderEditor(
        req,
        reply,
        coach,
        null,
        body,
        { error: uploaded.error.message },
        uploaded.error.status,
      );
    const values = uploaded.values;
    try {
      const post = await this.posts.create(
        { ...form.value, body: text(values.body), coverImageId: text(values.coverImageId) || null },
        coach,
      );
      redirect(reply, `/coach/posts/${post.id}?saved=1`);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await this.renderEditor(
        req,
        reply,
        coach,
        null,
        values,
        { error: e.message, errors: e.details },
        e.status,
      );
    }
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
    const notice =
      saved === 'published'
        ? { text: 'Published.', link: { href: `/blog/${post.slug}`, text: 'View the post' } }
        : saved === 'scheduled'
          ? { text: 'Scheduled: it publishes by itself at the time you chose.' }
          : saved === 'unpublished'
            ? { text: 'Unpublished: only you can see it now.' }
            : saved
              ? { text: 'Saved.' }
              : null;
    await this.renderEditor(req, reply, coach, post, savedValues(post), {
      preview: post.html,
      notice,
    });
  }

  @Post('posts/:id')
  @TakesUploads()
  async update(
    @IdParam() id: string,
    @Body() body: Form,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const post = await this.posts.byId(id);
    const form = await validateForm(UpdatePostDto, {
      ...postValues(body),
      slug: text(body.slug) || post.slug,
    });
    if (!form.ok)
      return this.renderEditor(req, reply, coach, post, body, { errors: form.errors }, 400);
    const uploaded = await this.withUploads(body);
    if (!uploaded.ok)
      return this.renderEditor(
        req,
        reply,
        coach,
        post,
        body,
        { error: uploaded.error.message },
        uploaded.error.status,
      );
    const values = uploaded.values;
    // validateForm drops empty strings; an emptied optional field means "clear it".
    const dto = {
      ...form.value,
      body: text(values.body),
      excerpt: form.value.excerpt ?? '',
      tags: form.value.tags ?? [],
      coverImageId: text(values.coverImageId) || null,
      coverAlt: form.value.coverAlt ?? null,
    };
    try {
      await this.posts.update(id, dto);
      redirect(reply, `/coach/posts/${id}?saved=1`);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await this.renderEditor(
        req,
        reply,
        coach,
        post,
        values,
        { error: e.message, errors: e.details },
        e.status,
      );
    }
  }

  /** The editor's script saves a draft's text every few seconds (JSON answer; the form's CSRF token in a header). */
  @Post('posts/:id/autosave')
  async autosave(
    @IdParam() id: string,
    @Body() body: Form,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const saved = await this.posts.autosave(id, { title: text(body.title), body: text(body.body) });
    await reply.status(200).header('cache-control', 'no-store').send(saved);
  }

  @Post('posts/:id/publish')
  async publish(
    @IdParam() id: string,
    @Body() body: Form,
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const notify = body.notifySubscribers === 'on' || body.notifySubscribers === 'true';
    let publishAt: string | undefined;
    if (text(body.publishAt)) {
      const zone = (await this.scheduling.settings(coach.id)).timeZone;
      const instant = localToInstant(text(body.publishAt), zone);
      if (!instant)
        return this.renderEditorFor(
          req,
          reply,
          coach,
          id,
          { scheduleError: 'Please give a date and a time to publish at.' },
          400,
        );
      publishAt = instant;
    }
    try {
      await this.posts.publish(id, notify, publishAt);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'VALIDATION_FAILED') throw e;
      return this.renderEditorFor(
        req,
        reply,
        coach,
        id,
        { error: e.message, errors: e.details },
        e.status,
      );
    }
    redirect(reply, `/coach/posts/${id}?saved=${publishAt ? 'scheduled' : 'published'}`);
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
   * (appended to the body as Markdown). Upload errors come back to show beside the form.
   */
  private async withUploads(
    body: Form,
  ): Promise<{ ok: true; values: Form } | { ok: false; error: DomainError }> {
    const values: Form = { ...body, cover: undefined, inlineImage: undefined };
    try {
      if (body.removeCover === 'on') values.coverImageId = '';
      const cover = file(body.cover);
      if (cover) values.coverImageId = (await this.images.upload(cover, text(body.coverAlt))).id;
      const inline = file(body.inlineImage);
      if (inline) {
        const alt = text(body.inlineAlt).trim();
        const image = await this.images.upload(inline, alt);
        values.body = `${text(body.body).replace(/\s+$/, '')}\n\n![${alt.replace(/[[\]\\]/g, '\\$&')}](${image.url})\n`;
        values.inlineAlt = '';
      }
    } catch (e) {
      if (e instanceof DomainError) return { ok: false, error: e };
      throw e;
    }
    return { ok: true, values };
  }

  private async renderEditorFor(
    req: FastifyRequest,
    reply: FastifyReply,
    coach: User,
    id: string,
    extra: Record<string, unknown>,
    status: number,
  ): Promise<void> {
    const post = await this.posts.byId(id);
    await this.renderEditor(
      req,
      reply,
      coach,
      post,
      savedValues(post),
      { preview: post.html, ...extra },
      status,
    );
  }

  private async renderEditor(
    req: FastifyRequest,
    reply: FastifyReply,
    coach: User,
    post: PostDto | null,
    values: Form,
    extra: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const zone = (await this.scheduling.settings(coach.id)).timeZone;
    const cover = await this.images.picture(text(values.coverImageId) || null);
    await renderPage(
      req,
      reply,
      'coach/post-editor',
      {
        title: post ? `Edit: ${post.title}` : 'New post',
        post,
        values,
        cover,
        zone,
        scheduledLocal: post?.publishAt ? instantToLocal(post.publishAt, zone) : null,
        ...extra,
      },
      status,
    );
  }

  @Get('comments')
  async moderation(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const [pending, approved] = await Promise.all([
      this.comments.list('pending'),
      this.comments.list('approved'),
    ]);
    await renderPage(req, reply, 'coach/comments', {
      title: 'Comments',
      pending,
      approved: approved.slice(0, 30),
    });
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
  async subscribers(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const [subscribers, counts] = await Promise.all([
      this.newsletter.list(),
      this.newsletter.counts(),
    ]);
    await renderPage(req, reply, 'coach/subscribers', {
      title: 'Subscribers',
      subscribers,
      counts,
    });
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
