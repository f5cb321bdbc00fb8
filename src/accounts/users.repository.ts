import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { User } from './user.entity';

/** The users table. Emails arrive here already normalised (lower-cased, trimmed). */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Pass the caller's transaction manager when inside one (never take a second connection). */
  byId(id: string, m: EntityManager = this.dataSource.manager): Promise<User | null> {
    return m.findOne(User, { where: { id } });
  }

  byEmail(email: string, m: EntityManager = this.dataSource.manager): Promise<User | null> {
    return m.findOne(User, { where: { email } });
  }

  /** The account using this email, locked for the rest of the transaction. */
  lockByEmail(m: EntityManager, email: string): Promise<User | null> {
    return m.findOne(User, { where: { email }, lock: { mode: 'pessimistic_write' } });
  }

  /** The coach (see coach.ts): the oldest account with the coach's role. */
  theCoach(): Promise<User | null> {
    return this.dataSource.manager.findOne(User, {
      where: { role: 'coach' },
      order: { createdAt: 'ASC' },
    });
  }

  insert(m: EntityManager, user: Partial<User>): Promise<User> {
    return m.save(m.create(User, user));
  }

  /**
   * A guest's client record (no password), unless the email is taken, in one statement (the
   * booking hot path). With a preferred name or pronouns, an existing guest record gets them where
   * it has none yet; an account holder's profile or the coach's is never changed. Returns the
   * record for the email either way.
   */
  async upsertGuestClient(
    m: EntityManager,
    guest: {
      email: string;
      name: string;
      timeZone: string | null;
      preferredName: string | null;
      pronouns: string | null;
    },
  ): Promise<{ id: string; preferredName: string | null; pronouns: string | null }> {
    const onConflict =
      !guest.preferredName && !guest.pronouns
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
      [guest.email, guest.name, guest.timeZone, guest.preferredName, guest.pronouns],
    );
    // A record committed by someone else after this statement's snapshot was taken: look again.
    row ??= (
      (await m.query(`SELECT id, preferred_name, pronouns FROM users WHERE email = $1`, [
        guest.email,
      ])) as Row[]
    )[0];
    if (!row) throw new Error('client record not found after upsert');
    return { id: row.id, preferredName: row.preferred_name, pronouns: row.pronouns };
  }

  /** The coach's account, unless the email is taken (a parallel start-up may have made it). */
  async insertCoach(email: string, name: string, passwordHash: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, 'coach', $3) ON CONFLICT (email) DO NOTHING`,
      [email, name, passwordHash],
    );
  }

  async promoteToCoach(id: string): Promise<void> {
    await this.dataSource.manager.update(User, { id }, { role: 'coach' });
  }

  async setPasswordHash(m: EntityManager, id: string, passwordHash: string): Promise<void> {
    await m.update(User, { id }, { passwordHash });
  }

  async updateProfile(
    id: string,
    changes: Partial<Pick<User, 'name' | 'preferredName' | 'pronouns' | 'timeZone'>>,
  ): Promise<void> {
    await this.dataSource.manager.update(User, { id }, changes);
  }

  /** These people (erased ones are absent). */
  byIds(ids: string[], m: EntityManager = this.dataSource.manager): Promise<User[]> {
    return m.find(User, { where: { id: In(ids) } });
  }

  /** Names of these people (erased ones are absent). */
  namesOf(ids: string[]): Promise<Pick<User, 'id' | 'name' | 'preferredName'>[]> {
    return this.dataSource.manager.find(User, {
      where: { id: In(ids) },
      select: { id: true, name: true, preferredName: true },
    });
  }

  /** Clients (not the coach), newest first, optionally matching a name or email fragment. */
  searchClients(term: string | null, limit: number): Promise<User[]> {
    const q = this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .where(`u.role = 'client'`)
      .orderBy('u.created_at', 'DESC')
      .take(limit);
    if (term) {
      const like = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      q.andWhere(`(lower(u.name) LIKE :like OR u.email LIKE :like)`, { like });
    }
    return q.getMany();
  }

  /** Deletes a user inside the caller's transaction; sessions, tokens and their rows cascade. */
  async delete(m: EntityManager, id: string): Promise<void> {
    await m.delete(User, { id });
  }
}
