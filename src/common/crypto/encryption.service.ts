import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { decrypt, DecryptionError, Encrypted, encrypt, keyIdOf } from './encryption';

const CHECK_PLAINTEXT = 'mend-encryption-key-check-v1';
const CHECK_CONTEXT = 'encryption_key_checks';

/** Raised at start-up when ENCRYPTION_KEY is not the key this database's private writing uses. */
export class EncryptionKeyMismatchError extends Error {
  constructor(detail: string) {
    super(
      `Invalid configuration: ENCRYPTION_KEY is not the key this database was encrypted with (${detail}). ` +
        'Set ENCRYPTION_KEY to the original key (or, to rotate, the new key with the old one in ENCRYPTION_KEY_PREVIOUS); ' +
        'Mend will not start with a wrong key rather than show garbage.',
    );
    this.name = 'EncryptionKeyMismatchError';
  }
}

interface CheckRow {
  key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
}

/**
 * Encrypts private text under ENCRYPTION_KEY and decrypts it under whichever configured key wrote
 * it (ENCRYPTION_KEY or one in ENCRYPTION_KEY_PREVIOUS, found by the stored key id). Verifies the
 * key against the database at start-up.
 */
@Injectable()
export class EncryptionService implements OnModuleInit {
  readonly keyId: string;
  private readonly keys: Map<string, Buffer>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.keyId = keyIdOf(config.encryptionKey);
    this.keys = new Map(
      [...config.previousEncryptionKeys, config.encryptionKey].map((k) => [keyIdOf(k), k]),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.verifyKey();
  }

  encrypt(plaintext: string, context: string): Encrypted {
    return encrypt(this.config.encryptionKey, plaintext, context);
  }

  decrypt(value: Encrypted, context: string): string {
    const key = this.keys.get(value.keyId);
    if (!key)
      throw new DecryptionError(`encrypted under key ${value.keyId}, which is not configured`);
    return decrypt(key, value, context);
  }

  /** Start-up guard for a table of encrypted values: every key id in use must be configured. */
  assertKeysConfigured(keyIds: string[], what: string): void {
    const missing = keyIds.filter((id) => !this.keys.has(id));
    if (missing.length) {
      throw new EncryptionKeyMismatchError(
        `${what} are encrypted under key ${missing.join(', ')}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEY_PREVIOUS; keep an old key there until re-encryption has finished`,
      );
    }
  }

  /** Whether a stored value should be re-encrypted under the current key (after a rotation). */
  isStale(keyId: string): boolean {
    return keyId !== this.keyId;
  }

  /**
   * The first start writes the check value for its key; later starts must find and decrypt it.
   * During a rotation (the old key in ENCRYPTION_KEY_PREVIOUS) a verified old key admits the new
   * one, whose check value is then written. Any other key refuses to start.
   */
  async verifyKey(): Promise<void> {
    await this.writeCheck(true);
    const rows: CheckRow[] = await this.dataSource.query(
      `SELECT key_id, nonce, ciphertext FROM encryption_key_checks`,
    );
    const current = rows.find((r) => r.key_id === this.keyId);
    if (current) return this.verifyRow(current);
    const previous = rows.find((r) => r.key_id !== this.keyId && this.keys.has(r.key_id));
    if (!previous)
      throw new EncryptionKeyMismatchError(`this database knows no key with id ${this.keyId}`);
    this.verifyRow(previous);
    await this.writeCheck(false);
  }

  private async writeCheck(onlyIfEmpty: boolean): Promise<void> {
    const check = this.encrypt(CHECK_PLAINTEXT, CHECK_CONTEXT);
    await this.dataSource.query(
      `INSERT INTO encryption_key_checks (key_id, nonce, ciphertext)
       SELECT $1, $2, $3 WHERE NOT $4 OR NOT EXISTS (SELECT 1 FROM encryption_key_checks)
       ON CONFLICT (key_id) DO NOTHING`,
      [check.keyId, check.nonce, check.ciphertext, onlyIfEmpty],
    );
  }

  private verifyRow(row: CheckRow): void {
    try {
      const plain = this.decrypt(
        { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext },
        CHECK_CONTEXT,
      );
      if (plain !== CHECK_PLAINTEXT) throw new DecryptionError('unexpected check value');
    } catch (e) {
      if (e instanceof DecryptionError)
        throw new EncryptionKeyMismatchError(
          `the stored check value for key ${row.key_id} does not decrypt`,
        );
      throw e;
    }
  }

  /**
   * After a key rotation: re-encrypts the rows of `table` written under an old key (one in
   * ENCRYPTION_KEY_PREVIOUS) under ENCRYPTION_KEY, in batches locked with SKIP LOCKED so that
   * instances share the work. The table has `id`, `key_id`, `nonce`, `ciphertext` and the
   * `contextColumns` that `context` binds each value to. Once it returns 0 the old key can go.
   */
  async reencryptTable<Row extends Record<string, unknown>>(
    table: string,
    contextColumns: (keyof Row & string)[],
    context: (row: Row) => string,
    batch = 200,
  ): Promise<number> {
    const columns = ['id', 'key_id', 'nonce', 'ciphertext', ...contextColumns]
      .map((c) => `"${c}"`)
      .join(', ');
    let total = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (m) => {
        const rows: (Row & { id: string; key_id: string; nonce: Buffer; ciphertext: Buffer })[] =
          await m.query(
            `SELECT ${columns} FROM "${table}" WHERE key_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
            [this.keyId, batch],
          );
        for (const r of rows) {
          const ctx = context(r);
          const sealed = this.encrypt(
            this.decrypt({ keyId: r.key_id, nonce: r.nonce, ciphertext: r.ciphertext }, ctx),
            ctx,
          );
          await m.query(
            `UPDATE "${table}" SET key_id = $2, nonce = $3, ciphertext = $4 WHERE id = $1`,
            [r.id, sealed.keyId, sealed.nonce, sealed.ciphertext],
          );
        }
        return rows.length;
      });
      total += done;
      if (done < batch) return total;
    }
  }
}
