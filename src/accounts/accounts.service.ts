import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataSource,
  EntityManager,
  In,
  IsNull,
  MoreThan,
  QueryFailedError,
  Repository,
} from 'typeorm';
import { DomainError } from '../common/errors';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { hashToken, newToken, normalizeEmail } from '../common/tokens';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { MailService } from '../mail/mail.service';
import { AuthSession } from './auth-session.entity';
import { LoginDto, SignupDto, UpdateProfileDto, UserDto } from './dto/auth.dto';
import { addressName, optionalText } from './person-name';
import { PasswordResetToken } from './password-reset-token.entity';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import { User } from './user.entity';

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

@Injectable()
export class AccountsService implements OnModuleInit {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(AuthSession) private readonly sessions: Repository<AuthSession>,
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
        const existing = await m.findOne(User, {
          where: { email },
          lock: { mode: 'pessimistic_write' },
        });
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
        const user = await m.save(
          m.create(User, {
            email,
            name: dto.name.trim(),
            role: 'client',
            passwordHash,
            preferredName: optionalText(dto.preferredName),
            pronouns: optionalText(dto.pronouns),
          }),
        );
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
    const user = await this.users.findOne({ where: { email } });
    let ok = false;
    if (user?.passwordHash) ok = await verifyPassword(user.passwordHash, password);
    else await verifyAgainstDummy(password);
    if (!user || !ok) return null;
    await this.rateLimit.release(slot);
    return user;
  }

  async logout(token: string): Promise<void> {
    await this.sessions.delete({ tokenHash: hashToken(token) });
  }

  /** The user behind a session token, or null when it is unknown or expired. */
  async userForToken(token: string): Promise<User | null> {
    if (!token || token.length > 200) return null;
    const session = await this.sessions.findOne({
      where: { tokenHash: hashToken(token), expiresAt: MoreThan(new Date()) },
      relations: { user: true },
    });
    return session?.user ?? null;
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
      const user = await m.findOne(User, { where: { email } });
      if (user) await this.sendPasswordLink(m, user, user.passwordHash ? 'reset' : 'set');
    });
  }

  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (m) => {
      const row = await m.findOne(PasswordResetToken, {
        where: { tokenHash: hashToken(token), usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row)
        throw new DomainError(
          'INVALID_TOKEN',
          'This link has expired or was already used. Please ask for a new one.',
        );
      // Using one link spends every link this person was sent.
      await m.update(
        PasswordResetToken,
        { userId: row.userId, usedAt: IsNull() },
        { usedAt: new Date() },
      );
      await m.update(User, { id: row.userId }, { passwordHash });
      // A new password ends every session, everywhere.
      await m.delete(AuthSession, { userId: row.userId });
    });
  }

  /** Pass the caller's transaction manager when inside one (never take a second connection). */
  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<User | null> {
    return m.findOne(User, { where: { id } });
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
    profile: { preferredName?: string | null; pronouns?: string | null } = {},
  ): Promise<User> {
    const { id } = await this.upsertClient(m, rawEmail, name, timeZone, profile);
    return m.findOneOrFail(User, { where: { id } });
  }

  /**
   * findOrCreateClient in one statement (the booking hot path): the person's id and how they are
   * addressed, creating a guest client record if the email is new (same rules as above).
   */
  async upsertClient(
    m: EntityManager,
    rawEmail: string,
    name: string,
    timeZone?: string,
    profile: { preferredName?: string | null; pronouns?: string | null } = {},
  ): Promise<{ id: string; preferredName: string | null; pronouns: string | null }> {
    const email = normalizeEmail(rawEmail);
    const preferredName = optionalText(profile.preferredName);
    const pronouns = optionalText(profile.pronouns);
    const onConflict =
      !preferredName && !pronouns
        ? 'DO NOTHING'
        : `DO UPDATE SET
             preferred_name = COALESCE(users.preferred_name, EXCLUDED.preferred_name),
             pronouns = COALESCE(users.pronouns, EXCLUDED.pronouns)
           WHERE users.password_hash IS NULL AND users.role = 'client'
             AND ((users.preferred_name IS NULL AND EXCLUDED.preferred_name IS NOT NULL)
               OR (users.pronouns IS NULL AND EXCLUDED.pronouns IS NOT NULL))`;
    type Row = { id: string; preferred_name: string | null; pronouns: string | null };
    let [row]: (Row | undefined)[] = await m.query(
      `WITH upserted AS (
         INSERT INTO users (email, name, role, time_zone, preferred_name, pronouns) VALUES ($1, $2, 'client', $3, $4, $5)
         ON CONFLICT (email) ${onConflict}
         RETURNING id, preferred_name, pronouns
       )
       SELECT id, preferred_name, pronouns FROM upserted
       UNION ALL
       SELECT id, preferred_name, pronouns FROM users WHERE email = $1 AND NOT EXISTS (SELECT 1 FROM upserted)`,
      [email, name.trim(), timeZone ?? null, preferredName, pronouns],
    );
    // A record committed by someone else after this statement's snapshot was taken: look again.
    row ??= (
      await m.query(`SELECT id, preferred_name, pronouns FROM users WHERE email = $1`, [email])
    )[0] as Row | undefined;
    if (!row) throw new Error('client record not found after upsert');
    return { id: row.id, preferredName: row.preferred_name, pronouns: row.pronouns };
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
    if (Object.keys(changes).length) await this.users.update({ id: userId }, changes);
    return toUserDto(await this.users.findOneOrFail({ where: { id: userId } }));
  }

  /** How each of these people is addressed (preferred name, else name); erased people are absent. */
  async displayNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.users.find({
      where: { id: In(ids) },
      select: { id: true, name: true, preferredName: true },
    });
    return new Map(rows.map((u) => [u.id, addressName(u)]));
  }

  /** These people by id (erased ones are absent); pass the caller's transaction manager inside one. */
  async findByIds(
    ids: string[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, User>> {
    if (!ids.length) return new Map();
    const rows = await m.find(User, { where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((u) => [u.id, u]));
  }

  /** Clients (not the coach), newest first, optionally matching a name or email fragment. */
  async searchClients(search: string | undefined, limit = 100): Promise<User[]> {
    const q = this.users
      .createQueryBuilder('u')
      .where(`u.role = 'client'`)
      .orderBy('u.created_at', 'DESC')
      .take(limit);
    const term = search?.trim();
    if (term) {
      const like = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      q.andWhere(`(lower(u.name) LIKE :like OR u.email LIKE :like)`, { like });
    }
    return q.getMany();
  }

  /**
   * Checks a signed-in person's password again (before erasing their account), under the same
   * lockout as sign-in, counted per account: a stolen session can't be used to guess the password.
   */
  async checkPassword(userId: string, password: string): Promise<boolean> {
    const user = await this.users.findOne({ where: { id: userId } });
    if (!user?.passwordHash) return false;
    return (
      (await this.verifyUnderLockout(user.email, password, user.id, 'password-recheck'))?.id ===
      user.id
    );
  }

  /** Deletes a user inside the caller's transaction; sessions, tokens and their rows cascade. */
  async deleteUser(m: EntityManager, userId: string): Promise<void> {
    await m.delete(User, { id: userId });
  }

  async coach(): Promise<User | null> {
    return this.users.findOne({ where: { role: 'coach' }, order: { createdAt: 'ASC' } });
  }

  /**
   * Makes sure the practice's coach account exists. Never overwrites an existing password; a
   * generated one is written to DATA_DIR/initial-coach-password (owner-only), never logged.
   */
  async ensureCoach(): Promise<{ created: boolean; passwordFile: string | null }> {
    const email = this.config.coach.email;
    const existing = await this.users.findOne({ where: { email } });
    if (existing) {
      if (existing.role !== 'coach')
        await this.users.update({ id: existing.id }, { role: 'coach' });
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
    await this.users.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, 'coach', $3) ON CONFLICT (email) DO NOTHING`,
      [email, 'Coach', await hashPassword(password)],
    );
    this.logger.log({ email, passwordFile }, 'coach account created');
    return { created: true, passwordFile };
  }

  private async createSession(m: EntityManager, userId: string): Promise<string> {
    const { token, hash } = newToken();
    await m.insert(AuthSession, {
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
    await m.insert(PasswordResetToken, {
      userId: user.id,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + RESET_TTL_MS),
      usedAt: null,
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
