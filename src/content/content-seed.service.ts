import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '../accounts/user.entity';
import { DEMO_POSTS } from './demo-posts';
import { PostsService } from './posts/posts.service';

/** Demo writing for a fresh install, only while there are no posts at all. */
@Injectable()
export class ContentSeedService {
  private readonly logger = new Logger(ContentSeedService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly posts: PostsService,
  ) {}

  async seedDemo(): Promise<number> {
    const [{ n }] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM posts`)) as {
      n: number;
    }[];
    if (n > 0) return 0;
    const coach = await this.dataSource
      .getRepository(User)
      .findOne({ where: { role: 'coach' }, order: { createdAt: 'ASC' } });
    if (!coach) return 0;
    let created = 0;
    for (const demo of DEMO_POSTS) {
      const post = await this.posts.create(
        {
          title: demo.title,
          slug: demo.slug,
          excerpt: demo.excerpt,
          body: demo.body,
          tags: demo.tags,
        },
        coach,
      );
      await this.posts.publish(post.id, false);
      created++;
    }
    this.logger.log({ created }, 'demo posts created');
    return created;
  }
}
