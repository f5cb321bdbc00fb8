import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { ImagesModule } from '../images/images.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { CommentsController } from './comments/comments.controller';
import { Comment } from './comments/comment.entity';
import { CommentsRepository } from './comments/comments.repository';
import { CommentsService } from './comments/comments.service';
import { FeedsController } from './feeds/feeds.controller';
import { NewsletterController } from './newsletter/newsletter.controller';
import { NewsletterDelivery } from './newsletter/newsletter-delivery.entity';
import { NewsletterService } from './newsletter/newsletter.service';
import { NewsletterSubscriber } from './newsletter/subscriber.entity';
import { SubscribersRepository } from './newsletter/subscribers.repository';
import { Post } from './posts/post.entity';
import { PostsController } from './posts/posts.controller';
import { PostsRepository } from './posts/posts.repository';
import { PostsService } from './posts/posts.service';
import { PostRating } from './ratings/post-rating.entity';
import { RatingsRepository } from './ratings/ratings.repository';
import { RatingsService } from './ratings/ratings.service';
import { CoachContentPagesController } from './coach-content.pages.controller';
import { ContentDataRightsService } from './content-data-rights.service';
import { ContentSeedService } from './content-seed.service';
import { NewsletterPagesController } from './newsletter/newsletter.pages.controller';
import { BlogPagesController } from './posts/blog.pages.controller';

/** The coach's writing: posts, comments, ratings, the newsletter and the feeds. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Post, Comment, PostRating, NewsletterSubscriber, NewsletterDelivery]),
    AccountsModule,
    ImagesModule,
    SchedulingModule,
  ],
  controllers: [
    PostsController,
    CommentsController,
    NewsletterController,
    FeedsController,
    BlogPagesController,
    NewsletterPagesController,
    CoachContentPagesController,
  ],
  providers: [
    PostsRepository,
    CommentsRepository,
    RatingsRepository,
    SubscribersRepository,
    PostsService,
    CommentsService,
    RatingsService,
    NewsletterService,
    ContentSeedService,
    ContentDataRightsService,
  ],
  exports: [
    PostsService,
    ContentSeedService,
    ContentDataRightsService,
    CommentsService,
    NewsletterService,
  ],
})
export class ContentModule {}
