import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { SiteService } from '../../site/site.service';
import { PostsService } from '../posts/posts.service';
import { renderRss, renderSitemap } from './xml';

@ApiExcludeController()
@Controller()
export class FeedsController {
  constructor(
    private readonly posts: PostsService,
    private readonly site: SiteService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('feed.xml')
  async feed(@Res() reply: FastifyReply): Promise<void> {
    const base = this.config.publicUrl;
    const [posts, site] = await Promise.all([this.posts.publishedForFeed(20), this.site.current()]);
    const xml = renderRss({
      title: `${site.name} — writing`,
      link: `${base}/blog`,
      selfLink: `${base}/feed.xml`,
      description: site.tagline || `Writing by ${site.coachName}.`,
      language: 'en',
      items: posts.map((p) => ({
        title: p.title,
        link: `${base}/blog/${p.slug}`,
        guid: `mend-post-${p.id}`,
        description: p.excerpt,
        contentHtml: p.html,
        publishedAt: p.publishedAt,
        categories: p.tags,
      })),
    });
    await reply
      .header('content-type', 'application/rss+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(xml);
  }

  @Get('sitemap.xml')
  async sitemap(@Res() reply: FastifyReply): Promise<void> {
    const base = this.config.publicUrl;
    const posts = await this.posts.publishedForFeed(1000);
    const xml = renderSitemap([
      { loc: `${base}/` },
      { loc: `${base}/blog`, lastmod: posts[0]?.updatedAt },
      { loc: `${base}/book` },
      { loc: `${base}/program` },
      { loc: `${base}/about` },
      ...posts.map((p) => ({ loc: `${base}/blog/${p.slug}`, lastmod: p.updatedAt })),
    ]);
    await reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(xml);
  }
}
