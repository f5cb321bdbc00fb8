import { AccountsService } from '../../src/accounts/accounts.service';
import { startTestApp, TestApp } from '../support/app';

/**
 * What the accounts module tells other modules about people: "the coach" (defined once, in
 * accounts/coach.ts) and findByIds. Other modules ask these instead of reading the users table.
 */
describe('Accounts: the coach and people, for other modules', () => {
  let t: TestApp;
  let accounts: AccountsService;

  beforeAll(async () => {
    t = await startTestApp({ workers: false, seed: false });
    accounts = t.app.get(AccountsService);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has no coach before start-up ensures her, then the oldest coach account', async () => {
    expect(await accounts.coach()).toBeNull();
    expect(await accounts.coachId()).toBeNull();
    const [{ id: first }] = (await t.dataSource.query(
      `INSERT INTO users (email, name, role, created_at) VALUES ('first@example.com', 'First', 'coach', now() - interval '1 day') RETURNING id`,
    )) as { id: string }[];
    await t.dataSource.query(
      `INSERT INTO users (email, name, role) VALUES ('later@example.com', 'Later', 'coach'), ('client@example.com', 'Client', 'client')`,
    );
    expect((await accounts.coach())?.id).toBe(first);
    expect(await accounts.coachId()).toBe(first);
  });

  it('gives people by id, each once, the erased absent, inside the caller’s transaction', async () => {
    const [{ id: sam }] = (await t.dataSource.query(
      `INSERT INTO users (email, name, preferred_name) VALUES ('sam@example.com', 'Samuel', 'Sam') RETURNING id`,
    )) as { id: string }[];
    const [{ id: gone }] = (await t.dataSource.query(
      `INSERT INTO users (email, name) VALUES ('gone@example.com', 'Gone') RETURNING id`,
    )) as { id: string }[];
    await t.dataSource.transaction((m) => accounts.deleteUser(m, gone));

    const people = await accounts.findByIds([sam, gone, sam]);
    expect([...people.keys()]).toEqual([sam]);
    expect(people.get(sam)).toMatchObject({ email: 'sam@example.com', preferredName: 'Sam' });
    expect(await accounts.findByIds([])).toEqual(new Map());
    // A person created in a transaction is found through its manager before the commit.
    await t.dataSource.transaction(async (m) => {
      const guest = await accounts.upsertClient(m, ' New@Example.com ', 'New Guest');
      expect((await accounts.findByIds([guest.id], m)).get(guest.id)?.email).toBe(
        'new@example.com',
      );
    });
  });
});
