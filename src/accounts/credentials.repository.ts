import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere, IsNull, MoreThan } from 'typeorm';
import { AuthSession } from './auth-session.entity';
import { PasswordResetToken } from './password-reset-token.entity';
import { User } from './user.entity';

/** "Usable", defined once: the link is unused and has not expired by `now`. */
const usableLink = (tokenHash: string, now: Date): FindOptionsWhere<PasswordResetToken> => ({
  tokenHash,
  usedAt: IsNull(),
  expiresAt: MoreThan(now),
});

/** Sign-in sessions and password links: only hashes of their tokens are stored. */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async addSession(
    m: EntityManager,
    session: { userId: string; tokenHash: string; expiresAt: Date },
  ): Promise<void> {
    await m.insert(AuthSession, session);
  }

  /** The user of an unexpired session, or null. */
  async userOfSession(tokenHash: string, now: Date): Promise<User | null> {
    const session = await this.dataSource.manager.findOne(AuthSession, {
      where: { tokenHash, expiresAt: MoreThan(now) },
      relations: { user: true },
    });
    return session?.user ?? null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.dataSource.manager.delete(AuthSession, { tokenHash });
  }

  async deleteSessionsOf(m: EntityManager, userId: string): Promise<void> {
    await m.delete(AuthSession, { userId });
  }

  async addPasswordLink(
    m: EntityManager,
    link: { userId: string; tokenHash: string; expiresAt: Date },
  ): Promise<void> {
    await m.insert(PasswordResetToken, { ...link, usedAt: null });
  }

  /** Whether a password link is unused and unexpired (a plain read: using it locks it again). */
  passwordLinkUsable(tokenHash: string, now: Date): Promise<boolean> {
    return this.dataSource.manager.exists(PasswordResetToken, {
      where: usableLink(tokenHash, now),
    });
  }

  /** An unused, unexpired password link, locked for the rest of the transaction. */
  lockUsablePasswordLink(
    m: EntityManager,
    tokenHash: string,
    now: Date,
  ): Promise<PasswordResetToken | null> {
    return m.findOne(PasswordResetToken, {
      where: usableLink(tokenHash, now),
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Marks every unused password link of this person used. */
  async spendPasswordLinksOf(m: EntityManager, userId: string, at: Date): Promise<void> {
    await m.update(PasswordResetToken, { userId, usedAt: IsNull() }, { usedAt: at });
  }
}
