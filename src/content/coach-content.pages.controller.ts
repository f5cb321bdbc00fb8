import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { DomainError } from '../common/errors';
import { validateForm } from '../common/validation';
import { redirect, renderPage } from '../web/page';
import { CommentsService } from './comments/comments.service';
import { CreatePostDto, UpdatePostDto } from './dto/post.dto';
import { NewsletterService } from './newsletter/newsletter.service';
import { renderMarkdown } from '../common/markdown';
import { PostsService } from './posts/posts.service';

type Form = Record<string, string | undefined>;

/** The editor's form values as the DTOs expect them (tags comma-separated, blanks dropped). */
function postValues(body: Form): Record<string, unknown> {
  return {
    title: body.title,
    slug: body.slug || undefined,
    excerpt: body.excerpt,
    body: body.body ?? '',
    tags: (body.tags ?? '').split(',').map((t) => t.trim()).filter(Boolean),
    coverImageUrl: body.coverImageUrl || undefined,
    coverImageAlt: body.coverImageAlt || undefined,
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
  ) {}

  @Get('posts')
  async list(@Query('page') page: string | undefined, @CurrentUser() coach: User, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const n = Math.max(1, Math.min(10_000, Number.parseInt(page ?? '1', 10) || 1));
    const list = await this.posts.list({ page: n, status: 'all' }, coach);
    await renderPage(req, reply, 'coach/posts', { title: 'Posts', list });
  }

  @Get('posts/new')
  async newPost(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await renderPage(req, reply, 'coach/post-editor', { title: 'New post', post: null, values: { title: '', slug: '', excerpt: '', body: '', tags: '', coverImageUrl: '', coverImageAlt: '' } });
  }

  /** Renders the unsaved Markdown (sanitised) beside the editor; saves nothing. */
  @Post('posts/preview')
  async preview(@Body() body: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const post = body.id ? await this.posts.byId(body.id) : null;
    await renderPage(req, reply, 'coach/post-editor', { title: post ? `Edit: ${post.title}` : 'New post', post, values: body, preview: renderMarkdown(body.body ?? '') });
  }

  @Post('posts')
  async create(@Body() body: Form, @CurrentUser() coach: User, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form = await validateForm(CreatePostDto, postValues(body));
    if (!form.ok) return renderPage(req, reply, 'coach/post-editor', { title: 'New post', post: null, values: body, errors: form.errors }, 400);
    try {
      const post = await this.posts.create(form.value, coach);
      redirect(reply, `/coach/posts/${post.id}?saved=1`);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await renderPage(req, reply, 'coach/post-editor', { title: 'New post', post: null, values: body, error: e.message }, e.status);
    }
  }

  @Get('posts/:id')
  async edit(@Param('id') id: string, @Query('saved') saved: string | undefined, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const post = await this.posts.byId(id);
    await renderPage(req, reply, 'coach/post-editor', {
      title: `Edit: ${post.title}`,
      post,
      values: { title: post.title, slug: post.slug, excerpt: post.excerpt, body: post.body, tags: post.tags.join(', '), coverImageUrl: post.coverImageUrl ?? '', coverImageAlt: post.coverImageAlt ?? '' },
      preview: post.html,
      notice:
        saved === 'published' ? { text: 'Published.', link: { href: `/blog/${post.slug}`, text: 'View the post' } }
        : saved === 'unpublished' ? { text: 'Unpublished: only you can see it now.' }
        : saved ? { text: 'Saved.' } : null,
    });
  }

  @Post('posts/:id')
  async update(@Param('id') id: string, @Body() body: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const post = await this.posts.byId(id);
    const values = { ...postValues(body), slug: body.slug || post.slug, excerpt: body.excerpt ?? '', coverImageUrl: body.coverImageUrl ?? '', coverImageAlt: body.coverImageAlt ?? '' };
    const form = await validateForm(UpdatePostDto, values);
    if (!form.ok) return renderPage(req, reply, 'coach/post-editor', { title: `Edit: ${post.title}`, post, values: body, errors: form.errors }, 400);
    // validateForm drops empty strings; an emptied optional field means "clear it".
    const dto = { ...form.value, excerpt: form.value.excerpt ?? '', coverImageUrl: form.value.coverImageUrl ?? null, coverImageAlt: form.value.coverImageAlt ?? null, tags: form.value.tags ?? [] };
    try {
      await this.posts.update(id, dto);
      redirect(reply, `/coach/posts/${id}?saved=1`);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await renderPage(req, reply, 'coach/post-editor', { title: `Edit: ${post.title}`, post, values: body, error: e.message }, e.status);
    }
  }

  @Post('posts/:id/publish')
  async publish(@Param('id') id: string, @Body() body: Form, @Res() reply: FastifyReply): Promise<void> {
    await this.posts.publish(id, body.notifySubscribers === 'on' || body.notifySubscribers === 'true');
    redirect(reply, `/coach/posts/${id}?saved=published`);
  }

  @Post('posts/:id/unpublish')
  async unpublish(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.posts.unpublish(id);
    redirect(reply, `/coach/posts/${id}?saved=unpublished`);
  }

  @Post('posts/:id/delete')
  async remove(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.posts.remove(id);
    redirect(reply, '/coach/posts');
  }

  @Get('comments')
  async moderation(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const [pending, approved] = await Promise.all([this.comments.list('pending'), this.comments.list('approved')]);
    await renderPage(req, reply, 'coach/comments', { title: 'Comments', pending, approved: approved.slice(0, 30) });
  }

  @Post('comments/:id/:action')
  async moderate(@Param('id') id: string, @Param('action') action: string, @Res() reply: FastifyReply): Promise<void> {
    if (action === 'approve') await this.comments.moderate(id, 'approved');
    else if (action === 'reject') await this.comments.moderate(id, 'rejected');
    else if (action === 'delete') await this.comments.remove(id);
    else throw new DomainError('NOT_FOUND', 'That action was not found.');
    redirect(reply, '/coach/comments');
  }

  @Get('subscribers')
  async subscribers(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const [subscribers, counts] = await Promise.all([this.newsletter.list(), this.newsletter.counts()]);
    await renderPage(req, reply, 'coach/subscribers', { title: 'Subscribers', subscribers, counts });
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
