import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/config';
import { decrypt, encrypt } from '../../src/common/crypto/encryption';
import { EncryptionService } from '../../src/common/crypto/encryption.service';
import { KeyChecksRepository } from '../../src/common/crypto/key-checks.repository';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, dropTestDatabase } from '../support/database';

/**
 * EncryptionService.reencryptTable (the by-name store that client notes and external calendars
 * still use) after a key rotation: every stale row, over several batches, under the new key,
 * still bound to its own row; a row moved to another owner fails and stops the batch.
 */
describe('re-encrypting a table by name', () => {
  let db: { url: string; name: string };
  let ds: DataSource;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  const service = (): EncryptionService =>
    new EncryptionService(
      { encryptionKey: newKey, previousEncryptionKeys: [oldKey] } as unknown as AppConfig,
      ds,
      new KeyChecksRepository(ds),
    );
  const insert = async (owner: string, text: string, key = oldKey, context = owner) => {
    const s = encrypt(key, text, context);
    await ds.query(
      `INSERT INTO h4_sealed (owner, key_id, nonce, ciphertext) VALUES ($1, $2, $3, $4)`,
      [owner, s.keyId, s.nonce, s.ciphertext],
    );
  };
  const rows = (): Promise<
    { owner: string; key_id: string; nonce: Buffer; ciphertext: Buffer }[]
  > => ds.query(`SELECT owner, key_id, nonce, ciphertext FROM h4_sealed ORDER BY owner`);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
    await ds.query(
      `CREATE TABLE h4_sealed (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), owner text NOT NULL,
         key_id text NOT NULL, nonce bytea NOT NULL, ciphertext bytea NOT NULL)`,
    );
  });

  afterAll(async () => {
    await ds.destroy();
    await dropTestDatabase(db.name);
  });

  it('moves every stale row to the new key in batches, each still bound to its owner', async () => {
    await insert('a', 'first');
    await insert('b', 'second');
    await insert('c', 'third');
    await insert('d', 'already new', newKey);
    const enc = service();
    expect(
      await enc.reencryptTable<{ owner: string }>('h4_sealed', ['owner'], (r) => r.owner, 2),
    ).toBe(3);
    const after = await rows();
    expect(after.map((r) => r.key_id)).toEqual(Array(4).fill(enc.keyId));
    expect(
      after.map((r) =>
        decrypt(newKey, { keyId: r.key_id, nonce: r.nonce, ciphertext: r.ciphertext }, r.owner),
      ),
    ).toEqual(['first', 'second', 'third', 'already new']);
    expect(
      await enc.reencryptTable<{ owner: string }>('h4_sealed', ['owner'], (r) => r.owner),
    ).toBe(0);
  });

  it('refuses a value copied to another owner instead of re-sealing it for them', async () => {
    await ds.query(`DELETE FROM h4_sealed`);
    await insert('victim', 'private words', oldKey, 'someone-else');
    await expect(
      service().reencryptTable<{ owner: string }>('h4_sealed', ['owner'], (r) => r.owner),
    ).rejects.toThrow(/authentication/);
    expect((await rows())[0].key_id).not.toBe(service().keyId);
  });
});
