import { AuthSession } from '../accounts/auth-session.entity';
import { PasswordResetToken } from '../accounts/password-reset-token.entity';
import { User } from '../accounts/user.entity';
import { RateLimitCounter } from '../common/rate-limit/rate-limit-counter.entity';
import { OutboxMail } from '../mail/outbox-mail.entity';
import { Payment } from '../payments/payment.entity';
import { StripeEvent } from '../payments/stripe-event.entity';

/** Every entity, for the app's DataSource and the TypeORM CLI alike (one list, so they agree). */
export const ENTITIES = [User, AuthSession, PasswordResetToken, RateLimitCounter, OutboxMail, Payment, StripeEvent];
