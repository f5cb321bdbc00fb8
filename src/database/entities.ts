import { AuditEvent } from '../audit/audit-event.entity';
import { AuthSession } from '../accounts/auth-session.entity';
import { PasswordResetToken } from '../accounts/password-reset-token.entity';
import { User } from '../accounts/user.entity';
import { EncryptionKeyCheck } from '../common/crypto/encryption-key-check.entity';
import { ClientNote } from '../clients/client-note.entity';
import { AppSecret } from '../common/crypto/app-secret.entity';
import { RateLimitCounter } from '../common/rate-limit/rate-limit-counter.entity';
import { Booking } from '../bookings/booking.entity';
import { IdempotencyKey } from '../bookings/idempotency-key.entity';
import { Comment } from '../content/comments/comment.entity';
import { NewsletterDelivery } from '../content/newsletter/newsletter-delivery.entity';
import { NewsletterSubscriber } from '../content/newsletter/subscriber.entity';
import { Post } from '../content/posts/post.entity';
import { PostRating } from '../content/ratings/post-rating.entity';
import { OutboxMail } from '../mail/outbox-mail.entity';
import { Image, ImageVariant } from '../images/image.entity';
import { SiteSettings } from '../site/site-settings.entity';
import { Payment } from '../payments/payment.entity';
import { StripeEvent } from '../payments/stripe-event.entity';
import { Enrollment, EnrollmentStep } from '../program/enrollment.entity';
import { Program, ProgramStep } from '../program/program.entity';
import { Reflection } from '../program/reflection.entity';
import { PublicContentVersion } from '../public-cache/public-content-version.entity';
import { CoachSettings } from '../scheduling/coach-settings.entity';
import { SessionType } from '../scheduling/session-type.entity';
import { SchedulingVersion } from '../scheduling/scheduling-version.entity';
import { TimeOff } from '../scheduling/time-off.entity';
import { CalendarBusyRange } from '../calendars/calendar-busy-range.entity';
import { ExternalCalendar } from '../calendars/external-calendar.entity';

/** Every entity, for the app's DataSource and the TypeORM CLI alike (one list, so they agree). */
export const ENTITIES = [
  User,
  AuthSession,
  PasswordResetToken,
  RateLimitCounter,
  OutboxMail,
  CoachSettings,
  TimeOff,
  SessionType,
  SchedulingVersion,
  Booking,
  IdempotencyKey,
  Payment,
  StripeEvent,
  Post,
  Comment,
  PostRating,
  NewsletterSubscriber,
  NewsletterDelivery,
  // the key check for encrypted private writing; the 12 Steps program
  EncryptionKeyCheck,
  AppSecret,
  Program,
  ProgramStep,
  Enrollment,
  EnrollmentStep,
  Reflection,
  // the coach's private notes about clients
  ClientNote,
  // the append-only audit trail
  AuditEvent,
  // the coach's external calendars and their busy ranges
  ExternalCalendar,
  CalendarBusyRange,
  // the practice's identity and the coach's uploaded images
  SiteSettings,
  Image,
  ImageVariant,
  // the version of what public pages show (the shared public page cache)
  PublicContentVersion,
];
