import { Injectable, Logger } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { DEMO_POSTS } from './demo-posts';
import { PostsRepository } from './posts/posts.repository';
import { PostsService } from './posts/posts.service';

/** Demo writing for a fresh install, only while there are no posts at all. */
@Injectable()
export class ContentSeedService {
  private readonly logger = new Logger(ContentSeedService.name);

  constructor(
    private readonly postsTable: PostsRepository,
    private readonly posts: PostsService,
    private readonly accounts: AccountsService,
  ) {}

  async seedDemo(): Promise<number> {
    if (await this.postsTable.hasAny()) return 0;
    const coach = await this.accounts.coach();
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
