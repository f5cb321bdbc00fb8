import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { ComposedStatement } from '../database/composed-statement';
import { runStatement } from '../database/statements.repository';
import { ClientRecord, GuestClient } from './guest-client';
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
   * For a composed statement (database/composed-statement.ts): the CTE `client` (columns id,
   * preferred_name, pronouns) is the record for the guest's email, created as a guest's client
   * record (no password) if the email is new. With a preferred name or pronouns, an existing guest
   * record gets them where it has none yet; an account holder's profile or the coach's is never
   * changed. `client` is empty only when someone else created the record after the statement's
   * snapshot was taken (then look again: `upsertGuestClient` does).
   */
  guestClientCtes(s: ComposedStatement, guest: GuestClient): void {
    const onConflict =
      !guest.preferredName && !guest.pronouns
        ? 'DO NOTHING'
        : `DO UPDATE SET
             preferred_name = COALESCE(users.preferred_name, EXCLUDED.preferred_name),
             pronouns = COALESCE(users.pronouns, EXCLUDED.pronouns)
           WHERE users.password_hash IS NULL AND users.role = 'client'
             AND ((users.preferred_name IS NULL AND EXCLUDED.preferred_name IS NOT NULL)
               OR (users.pronouns IS NULL AND EXCLUDED.pronouns IS NOT NULL))`;
    const email = s.param(guest.email, 'text');
    s.with(
      'client_upserted',
      `INSERT INTO users (email, name, role, time_zone, preferred_name, pronouns)
       VALUES (${email}, ${s.param(guest.name)}, 'client', ${s.param(guest.timeZone)}, ${s.param(guest.preferredName)}, ${s.param(guest.pronouns)})
       ON CONFLICT (email) ${onConflict}
       RETURNING id, preferred_name, pronouns`,
    );
    s.with(
      'client',
      `SELECT id, preferred_name, pronouns FROM client_upserted
       UNION ALL
       SELECT id, preferred_name, pronouns FROM users WHERE email = ${email} AND NOT EXISTS (SELECT 1 FROM client_upserted)`,
    );
  }

  /**
   * A guest's client record, unless the email is taken, in one statement (see guestClientCtes).
   * Returns the record for the email either way.
   */
  async upsertGuestClient(m: EntityManager, guest: GuestClient): Promise<ClientRecord> {
    const s = new ComposedStatement();
    this.guestClientCtes(s, guest);
    type Row = { id: string; preferred_name: string | null; pronouns: string | null };
    const [row] = await runStatement<Row>(
      this.dataSource,
      m,
      s.build(`SELECT id, preferred_name, pronouns FROM client`),
    );
    const found = row ?? (await this.clientRecord(m, guest.email));
    if (!found) throw new Error('client record not found after upsert');
    return { id: found.id, preferredName: found.preferred_name, pronouns: found.pronouns };
  }

  /** A record committed by someone else after a statement's snapshot was taken: look again. */
  async clientRecord(
    m: EntityManager | undefined,
    email: string,
  ): Promise<{ id: string; preferred_name: string | null; pronouns: string | null } | undefined> {
    const rows: { id: string; preferred_name: string | null; pronouns: string | null }[] = await (
      m ?? this.dataSource.manager
    ).query(`SELECT id, preferred_name, pronouns FROM users WHERE email = $1`, [email]);
    return rows[0];
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
