import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
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
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { ImagesService, PictureView } from '../../images/images.service';
import { SiteService } from '../../site/site.service';
import { PostSummaryDto } from '../dto/post.dto';
import { blogPosting, jsonForScript, readingMinutes } from './post-meta';
import { PostsService } from './posts.service';

type Form = Record<string, string | undefined>;

@ApiExcludeController()
@Controller('blog')
export class BlogPagesController {
  constructor(
    private readonly posts: PostsService,
    private readonly comments: CommentsService,
    private readonly ratings: RatingsService,
    private readonly images: ImagesService,
    private readonly site: SiteService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async index(
    @Query() raw: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderIndex(req, reply, raw.page, raw.tag);
  }

  @Get('tag/:tag')
  async tagPage(
    @Param('tag') tag: string,
    @Query() raw: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderIndex(req, reply, raw.page, tag);
  }

  private async renderIndex(
    req: FastifyRequest,
    reply: FastifyReply,
    pageParam: string | undefined,
    tagParam: string | undefined,
  ): Promise<void> {
    const form = await validateForm(ListPostsQueryDto, { page: pageParam, tag: tagParam });
    const query = form.ok ? form.value : {};
    const [list, tags, site] = await Promise.all([
      this.posts.list({ page: query.page, tag: query.tag }, null),
      this.posts.tags(),
      this.site.current(),
    ]);
    const tag = query.tag?.trim().toLowerCase() || null;
    const base = this.config.publicUrl;
    await renderPage(req, reply, 'content/blog', {
      title: tag ? `Writing tagged “${tag}”` : 'Writing',
      description: `Writing by ${site.coachName}${site.tagline ? `: ${site.tagline}` : ''}`,
      meta: {
        title: tag ? `Writing tagged “${tag}”` : 'Writing',
        canonical: tag ? `${base}/blog/tag/${encodeURIComponent(tag)}` : `${base}/blog`,
      },
      list,
      tags,
      tag,
      covers: await this.covers(list.posts),
      longDate,
    });
  }

  @Get(':slug')
  async post(
    @Param('slug') slug: string,
    @Query() query: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderPost(req, reply, slug, {
      notice:
        query.comment === 'pending'
          ? 'Thank you. Your comment is waiting for the coach to read it, and will appear once approved.'
          : query.comment === 'posted'
            ? 'Your comment is published.'
            : query.rated
              ? 'Thank you for rating this post.'
              : null,
    });
  }

  @Post(':slug/comments')
  async comment(
    @Param('slug') slug: string,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(CreateCommentDto, {
      name: body.name,
      body: body.body,
      website: body.website,
    });
    if (!form.ok) {
      return this.renderPost(
        req,
        reply,
        slug,
        { errors: form.errors, values: { name: body.name, body: body.body } },
        400,
      );
    }
    try {
      const outcome = await this.comments.create(
        slug,
        form.value,
        req.viewer ?? null,
        clientIp(req),
      );
      redirect(
        reply,
        `/blog/${encodeURIComponent(slug)}?comment=${outcome.status === 'pending' ? 'pending' : 'posted'}#comments`,
      );
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === 'NOT_FOUND') throw e;
      await this.renderPost(
        req,
        reply,
        slug,
        { error: e.message, values: { name: body.name, body: body.body } },
        e.status,
      );
    }
  }

  @Post(':slug/rating')
  async rate(
    @Param('slug') slug: string,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!req.viewer) return redirect(reply, `/login?next=${encodeURIComponent(`/blog/${slug}`)}`);
    const form = await validateForm(RateDto, {
      stars: body.stars === undefined ? undefined : Number(body.stars),
    });
    if (!form.ok)
      return this.renderPost(
        req,
        reply,
        slug,
        { ratingError: 'Please choose from 1 to 5 stars.' },
        400,
      );
    await this.ratings.rate(slug, form.value.stars, req.viewer);
    redirect(reply, `/blog/${encodeURIComponent(slug)}?rated=1#rating`);
  }

  private async renderPost(
    req: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    extra: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const viewer = req.viewer ?? null;
    const { post, comments } = await this.posts.page(slug, viewer);
    const [mine, site, cover, neighbours] = await Promise.all([
      viewer ? this.ratings.mine(post.id, viewer.id) : null,
      this.site.current(),
      this.images.picture(post.coverImageId),
      this.posts.neighbours(post),
    ]);
    const base = this.config.publicUrl;
    const canonical = `${base}/blog/${post.slug}`;
    const ogImage = cover ? { ...cover.near(1200), alt: post.coverAlt ?? '' } : null;
    const image = ogImage ? { ...ogImage, url: base + ogImage.url } : null;
    const meta = {
      title: post.title,
      description: post.excerpt,
      canonical,
      type: 'article',
      image,
      publishedAt: post.publishedAt,
      tags: post.tags,
      jsonLd: jsonForScript(
        blogPosting({
          url: canonical,
          title: post.title,
          description: post.excerpt,
          publishedAt: post.publishedAt,
          updatedAt: post.updatedAt,
          tags: post.tags,
          image: image?.url ?? null,
          authorName: site.coachName,
          authorUrl: `${base}/about`,
          publisherName: site.name,
          publisherUrl: `${base}/`,
        }),
      ),
    };
    await renderPage(
      req,
      reply,
      'content/post',
      {
        title: post.title,
        description: post.excerpt,
        meta,
        post,
        cover,
        author: site,
        neighbours,
        readingMinutes: readingMinutes(post.html),
        comments,
        myRating: mine,
        longDate,
        ...extra,
      },
      status,
    );
  }

  private async covers(posts: PostSummaryDto[]): Promise<Record<string, PictureView>> {
    return Object.fromEntries(await this.images.pictures(posts.map((p) => p.coverImageId)));
  }
}
