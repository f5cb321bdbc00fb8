import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { DomainError } from '../common/errors';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { hashToken, newToken, normalizeEmail } from '../common/tokens';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { MailService } from '../mail/mail.service';
import { ComposedStatement } from '../database/composed-statement';
import { CredentialsRepository } from './credentials.repository';
import { ClientProfile, ClientRecord, guestClient } from './guest-client';
import { LoginDto, SignupDto, UpdateProfileDto, UserDto } from './dto/auth.dto';
import { addressName, optionalText } from './person-name';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

const SESSION_DAYS = 30;
const RESET_TTL_MS = 60 * 60 * 1000;
/** Failed logins allowed per email and client IP in a 15-minute window before 429. */
export const LOGIN_FAILURE_LIMIT = 10;
const LOGIN_FAILURE_WINDOW = 15 * 60;

export type SignupResult =
  { kind: 'created'; token: string; user: UserDto } | { kind: 'check_email' };

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    preferredName: u.preferredName,
    pronouns: u.pronouns,
    timeZone: u.timeZone,
    role: u.role,
  };
}

export const PASSWORD_RESET_QUEUE = 'password-reset-request';

/** What a used, expired or unknown password link gets, on the API and the page alike. */
export const SPENT_PASSWORD_LINK =
  'This link has expired or was already used. Please ask for a new one.';

@Injectable()
export class AccountsService implements OnModuleInit {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsRepository,
    private readonly mail: MailService,
    private readonly rateLimit: RateLimitService,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ email: string }>(
      PASSWORD_RESET_QUEUE,
      (data) => this.sendResetLink(data.email),
      { retryLimit: 3, retryDelay: 10 },
    );
  }

  async signup(dto: SignupDto, ip: string): Promise<SignupResult> {
    await this.rateLimit.consume('signup', ip);
    const email = normalizeEmail(dto.email);
    const passwordHash = await hashPassword(dto.password);
    try {
      return await this.dataSource.transaction(async (m) => {
        const existing = await this.users.lockByEmail(m, email);
        if (existing?.passwordHash)
          throw new DomainError(
            'EMAIL_TAKEN',
            'An account with this email already exists. Try signing in.',
          );
        if (existing) {
          // Known only from a guest booking: prove the address before any password is set.
          await this.sendPasswordLink(m, existing, 'set');
          return { kind: 'check_email' as const };
        }
        const user = await this.users.insert(m, {
          email,
          name: dto.name.trim(),
          role: 'client',
          passwordHash,
          preferredName: optionalText(dto.preferredName),
          pronouns: optionalText(dto.pronouns),
        });
        const token = await this.createSession(m, user.id);
        return { kind: 'created' as const, token, user: toUserDto(user) };
      });
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
        throw new DomainError(
          'EMAIL_TAKEN',
          'An account with this email already exists. Try signing in.',
        );
      }
      throw e;
    }
  }

  async login(dto: LoginDto, ip: string): Promise<{ token: string; user: UserDto }> {
    const user = await this.verifyUnderLockout(
      normalizeEmail(dto.email),
      dto.password,
      `${normalizeEmail(dto.email)}|${ip}`,
      'login-failure',
    );
    if (!user)
      throw new DomainError(
        'INVALID_CREDENTIALS',
        'That email and password don’t match an account.',
      );
    const token = await this.createSession(this.dataSource.manager, user.id);
    return { token, user: toUserDto(user) };
  }

  /**
   * Checks a password under a lockout: the attempt is taken from the bucket's window first, in one
   * statement (so parallel guesses can't pass the limit between a check and a count), and given
   * back only when the password was right. Unknown accounts cost the same time as known ones.
   */
  private async verifyUnderLockout(
    email: string,
    password: string,
    key: string,
    bucket: 'login-failure' | 'password-recheck',
  ): Promise<User | null> {
    const slot = await this.rateLimit.reserve(
      bucket,
      key,
      LOGIN_FAILURE_LIMIT,
      LOGIN_FAILURE_WINDOW,
      bucket === 'login-failure'
        ? 'Too many failed sign-in attempts. You can also reset your password.'
        : 'Too many wrong passwords.',
    );
    const user = await this.users.byEmail(email);
    let ok = false;
    if (user?.passwordHash) ok = await verifyPassword(user.passwordHash, password);
    else await verifyAgainstDummy(password);
    if (!user || !ok) return null;
    await this.rateLimit.release(slot);
    return user;
  }

  async logout(token: string): Promise<void> {
    await this.credentials.deleteSession(hashToken(token));
  }

  /** The user behind a session token, or null when it is unknown or expired. */
  async userForToken(token: string): Promise<User | null> {
    if (!token || token.length > 200) return null;
    return this.credentials.userOfSession(hashToken(token), new Date());
  }

  /**
   * Queues the reset: the request does the same work (one job row) whether or not an account
   * uses the address, so neither the answer nor its timing tells; the job looks the person up.
   */
  async requestPasswordReset(rawEmail: string, ip: string): Promise<void> {
    await this.rateLimit.consume('password-reset', ip);
    await this.jobs.send(PASSWORD_RESET_QUEUE, { email: normalizeEmail(rawEmail) });
  }

  /** The reset job: mails a link when an account uses the address, else does nothing. */
  private async sendResetLink(email: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const user = await this.users.byEmail(email, m);
      if (user) await this.sendPasswordLink(m, user, user.passwordHash ? 'reset' : 'set');
    });
  }

  /** Whether a password link can still be used (the page says so before she types anything). */
  async passwordLinkUsable(token: string): Promise<boolean> {
    if (!token || token.length > 200) return false;
    return this.credentials.passwordLinkUsable(hashToken(token), new Date());
  }

  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (m) => {
      const row = await this.credentials.lockUsablePasswordLink(m, hashToken(token), new Date());
      if (!row) throw new DomainError('INVALID_TOKEN', SPENT_PASSWORD_LINK);
      // Using one link spends every link this person was sent.
      await this.credentials.spendPasswordLinksOf(m, row.userId, new Date());
      await this.users.setPasswordHash(m, row.userId, passwordHash);
      // A new password ends every session, everywhere.
      await this.credentials.deleteSessionsOf(m, row.userId);
    });
  }

  /** Pass the caller's transaction manager when inside one (never take a second connection). */
  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<User | null> {
    return this.users.byId(id, m);
  }

  /**
   * Finds a person by email or creates a client record without a password (guest booking). A
   * preferred name and pronouns given at booking fill in only what a guest record has not set yet
   * (anyone can type any email into a booking form, so a booking never changes an account holder's
   * profile: they set theirs on the account page).
   */
  async findOrCreateClient(
    m: EntityManager,
    rawEmail: string,
    name: string,
    timeZone?: string,
    profile: ClientProfile = {},
  ): Promise<User> {
    const { id } = await this.upsertClient(m, rawEmail, name, timeZone, profile);
    const user = await this.users.byId(id, m);
    if (!user) throw new Error('client record not found after upsert');
    return user;
  }

  /**
   * findOrCreateClient in one statement: the person's id and how they are addressed, creating a
   * guest client record if the email is new (same rules as above).
   */
  async upsertClient(
    m: EntityManager,
    rawEmail: string,
    name: string,
    timeZone?: string,
    profile: ClientProfile = {},
  ): Promise<ClientRecord> {
    return this.users.upsertGuestClient(m, guestClient(rawEmail, name, timeZone, profile));
  }

  /**
   * The same, as part of a statement another module composes (the booking hot path: one round
   * trip for the client, the booking and its mails). Adds the CTE `client` with the columns id,
   * preferred_name and pronouns; it is empty only if someone created the record after the
   * statement's snapshot (then run the statement again).
   */
  clientInStatement(
    s: ComposedStatement,
    rawEmail: string,
    name: string,
    timeZone?: string,
    profile: ClientProfile = {},
  ): void {
    this.users.guestClientCtes(s, guestClient(rawEmail, name, timeZone, profile));
  }

  /** PATCH /api/me: changes only the fields given; blank preferred name or pronouns clear them. */
  async updateProfile(userId: string, dto: UpdateProfileDto): Promise<UserDto> {
    const changes: Partial<Pick<User, 'name' | 'preferredName' | 'pronouns' | 'timeZone'>> = {};
    if (dto.name !== undefined) changes.name = dto.name.trim();
    if (dto.preferredName !== undefined) changes.preferredName = optionalText(dto.preferredName);
    if (dto.pronouns !== undefined) changes.pronouns = optionalText(dto.pronouns);
    if (dto.timeZone !== undefined) changes.timeZone = optionalText(dto.timeZone);
    if (changes.name !== undefined && !changes.name)
      throw new DomainError('VALIDATION_FAILED', 'Please check: name.', {
        name: ['name must not be empty'],
      });
    if (Object.keys(changes).length) await this.users.updateProfile(userId, changes);
    const user = await this.users.byId(userId);
    if (!user) throw new Error(`User ${userId} vanished while changing their profile`);
    return toUserDto(user);
  }

  /** How each of these people is addressed (preferred name, else name); erased people are absent. */
  async displayNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.users.namesOf(ids);
    return new Map(rows.map((u) => [u.id, addressName(u)]));
  }

  /** These people by id (erased ones are absent); pass the caller's transaction manager inside one. */
  async findByIds(
    ids: string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, User>> {
    if (!ids.length) return new Map();
    const rows = await this.users.byIds([...new Set(ids)], m);
    return new Map(rows.map((u) => [u.id, u]));
  }

  /** Clients (not the coach), newest first, optionally matching a name or email fragment. */
  async searchClients(search: string | undefined, limit = 100): Promise<User[]> {
    return this.users.searchClients(search?.trim() || null, limit);
  }

  /**
   * Checks a signed-in person's password again (before erasing their account), under the same
   * lockout as sign-in, counted per account: a stolen session can't be used to guess the password.
   */
  async checkPassword(userId: string, password: string): Promise<boolean> {
    const user = await this.users.byId(userId);
    if (!user?.passwordHash) return false;
    return (
      (await this.verifyUnderLockout(user.email, password, user.id, 'password-recheck'))?.id ===
      user.id
    );
  }

  /** Deletes a user inside the caller's transaction; sessions, tokens and their rows cascade. */
  async deleteUser(m: EntityManager, userId: string): Promise<void> {
    await this.users.delete(m, userId);
  }

  /** The practice's coach (see coach.ts), or null before start-up has ensured her account. */
  async coach(): Promise<User | null> {
    return this.users.theCoach();
  }

  /** The coach's user id, or null: what other modules compare authors and owners with. */
  async coachId(): Promise<string | null> {
    return (await this.users.theCoach())?.id ?? null;
  }

  /**
   * Makes sure the practice's coach account exists. Never overwrites an existing password; a
   * generated one is written to DATA_DIR/initial-coach-password (owner-only), never logged.
   */
  async ensureCoach(): Promise<{ created: boolean; passwordFile: string | null }> {
    const email = this.config.coach.email;
    const existing = await this.users.byEmail(email);
    if (existing) {
      if (existing.role !== 'coach') await this.users.promoteToCoach(existing.id);
      return { created: false, passwordFile: null };
    }
    let password = this.config.coach.password;
    let passwordFile: string | null = null;
    if (!password) {
      password = randomBytes(15).toString('base64url');
      mkdirSync(this.config.dataDir, { recursive: true });
      passwordFile = join(this.config.dataDir, 'initial-coach-password');
      writeFileSync(passwordFile, `${email}\n${password}\n`, { mode: 0o600 });
      chmodSync(passwordFile, 0o600);
    }
    await this.users.insertCoach(email, 'Coach', await hashPassword(password));
    this.logger.log({ email, passwordFile }, 'coach account created');
    return { created: true, passwordFile };
  }

  private async createSession(m: EntityManager, userId: string): Promise<string> {
    const { token, hash } = newToken();
    await this.credentials.addSession(m, {
      userId,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    });
    return token;
  }

  /**
   * Inside the caller's transaction: mails a passwordless person (e.g. someone the coach enrolled)
   * a single-use link to choose a password, with the caller's words of introduction.
   */
  async sendSetPasswordLink(m: EntityManager, user: User, intro: string): Promise<void> {
    await this.sendPasswordLink(m, user, 'set', intro);
  }

  private async sendPasswordLink(
    m: EntityManager,
    user: User,
    purpose: 'reset' | 'set',
    customIntro?: string,
  ): Promise<void> {
    const { token, hash } = newToken();
    await this.credentials.addPasswordLink(m, {
      userId: user.id,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + RESET_TTL_MS),
    });
    const link = `${this.config.publicUrl}/password-reset?token=${token}`;
    const subject = purpose === 'set' ? 'Set your Mend password' : 'Reset your Mend password';
    const intro =
      customIntro ??
      (purpose === 'set'
        ? 'Someone (hopefully you) asked to create an account with this email. You have booked with us before, so we only need you to choose a password.'
        : 'Someone (hopefully you) asked to reset the password of your Mend account.');
    await this.mail.enqueue(m, {
      kind: purpose === 'set' ? 'password_set' : 'password_reset',
      to: user.email,
      subject,
      text: `Hello ${addressName(user)},\n\n${intro}\n\nChoose a password here (the link works once, for one hour):\n${link}\n\nIf this wasn't you, you can ignore this mail; nothing changes.\n\n— Mend`,
    });
  }
}
