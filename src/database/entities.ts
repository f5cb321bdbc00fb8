import { AuthSession } from '../accounts/auth-session.entity';
import { PasswordResetToken } from '../accounts/password-reset-token.entity';
import { User } from '../accounts/user.entity';
import { RateLimitCounter } from '../common/rate-limit/rate-limit-counter.entity';
import { Comment } from '../content/comments/comment.entity';
import { NewsletterDelivery } from '../content/newsletter/newsletter-delivery.entity';
import { NewsletterSubscriber } from '../content/newsletter/subscriber.entity';
import { Post } from '../content/posts/post.entity';
import { PostRating } from '../content/ratings/post-rating.entity';
import { OutboxMail } from '../mail/outbox-mail.entity';

/** Every entity, for the app's DataSource and the TypeORM CLI alike (one list, so they agree). */
export const ENTITIES = [
  User, AuthSession, PasswordResetToken, RateLimitCounter, OutboxMail,
  Post, Comment, PostRating, NewsletterSubscriber, NewsletterDelivery,
];
