import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors';
import { clientIp } from '../../common/http';
import { validateForm } from '../../common/validation';
import { redirect, renderPage } from '../../web/page';
import { CommentsService } from '../comments/comments.service';
import { longDate } from '../dates';
import { CreateCommentDto } from '../dto/comment.dto';
import { RateDto } from '../dto/rating.dto';
import { ListPostsQueryDto } from '../dto/post.dto';
import { RatingsService } from '../ratings/ratings.service';
import { PostsService } from './posts.service';

type Form = Record<string, string | undefined>;

@ApiExcludeController()
@Controller('blog')
export class BlogPagesController {
  constructor(
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly ratings: RatingsService,
  ) {}

  @Get()
  async index(@Query() raw: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form = await validateForm(ListPostsQueryDto, { page: raw.page, tag: raw.tag });
    const query = form.ok ? form.value : {};
    const [list, tags] = await Promise.all([this.posts.list({ page: query.page, tag: query.tag }, null), this.posts.tags()]);
    const tag = query.tag?.trim().toLowerCase() || null;
    await renderPage(req, reply, 'content/blog', {
      title: tag ? `Writing tagged “${tag}”` : 'Writing',
      description: 'Writing on trauma recovery from Mend: repair over perfection.',
      list,
      tags,
      tag,
      longDate,
    });
  }

  @Get(':slug')
  async post(@Param('slug') slug: string, @Query() query: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderPost(req, reply, slug, {
      notice: query.comment === 'pending' ? 'Thank you. Your comment is waiting for the coach to read it, and will appear once approved.'
        : query.comment === 'posted' ? 'Your comment is published.'
        : query.rated ? 'Thank you for rating this post.'
        : null,
    });
  }

  @Post(':slug/comments')
  async comment(@Param('slug') slug: string, @Body() body: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form = await validateForm(CreateCommentDto, { name: body.name, body: body.body, website: body.website });
    if (!form.ok) {
      return this.renderPost(req, reply, slug, { errors: form.errors, values: { name: body.name, body: body.body } }, 400);
    }
    try {
      const outcome = await this.comments.create(slug, form.value, req.viewer ?? null, clientIp(req));
      redirect(reply, `/blog/${encodeURIComponent(slug)}?comment=${outcome.status === 'pending' ? 'pending' : 'posted'}#comments`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === 'NOT_FOUND') throw e;
      await this.renderPost(req, reply, slug, { error: e.message, values: { name: body.name, body: body.body } }, e.status);
    }
  }

  @Post(':slug/rating')
  async rate(@Param('slug') slug: string, @Body() body: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!req.viewer) return redirect(reply, `/login?next=${encodeURIComponent(`/blog/${slug}`)}`);
    const form = await validateForm(RateDto, { stars: body.stars === undefined ? undefined : Number(body.stars) });
    if (!form.ok) return this.renderPost(req, reply, slug, { ratingError: 'Please choose from 1 to 5 stars.' }, 400);
    await this.ratings.rate(slug, form.value.stars, req.viewer);
    redirect(reply, `/blog/${encodeURIComponent(slug)}?rated=1#rating`);
  }

  private async renderPost(req: FastifyRequest, reply: FastifyReply, slug: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const viewer = req.viewer ?? null;
    const { post, comments } = await this.posts.page(slug, viewer);
    const mine = viewer ? await this.ratings.mine(post.id, viewer.id) : null;
    await renderPage(req, reply, 'content/post', { title: post.title, description: post.excerpt, post, comments, myRating: mine, longDate, ...extra }, status);
  }
}
