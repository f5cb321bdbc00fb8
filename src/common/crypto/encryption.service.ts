import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { decrypt, DecryptionError, Encrypted, encrypt, keyIdOf } from './encryption';
import { KeyChecksRepository } from './key-checks.repository';
import { SealedRow, SealedRowStore } from './sealed-row-store';
import { sealedTableStore } from './sealed-tables.repository';

export type { SealedRow, SealedRowStore } from './sealed-row-store';

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
    private readonly checks: KeyChecksRepository,
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
    const rows = await this.checks.findAll();
    const current = rows.find((r) => r.keyId === this.keyId);
    if (current) return this.verifyRow(current);
    const previous = rows.find((r) => r.keyId !== this.keyId && this.keys.has(r.keyId));
    if (!previous)
      throw new EncryptionKeyMismatchError(`this database knows no key with id ${this.keyId}`);
    this.verifyRow(previous);
    await this.writeCheck(false);
  }

  private async writeCheck(onlyIfEmpty: boolean): Promise<void> {
    await this.checks.add(this.encrypt(CHECK_PLAINTEXT, CHECK_CONTEXT), onlyIfEmpty);
  }

  private verifyRow(row: Encrypted): void {
    try {
      const plain = this.decrypt(row, CHECK_CONTEXT);
      if (plain !== CHECK_PLAINTEXT) throw new DecryptionError('unexpected check value');
    } catch (e) {
      if (e instanceof DecryptionError)
        throw new EncryptionKeyMismatchError(
          `the stored check value for key ${row.keyId} does not decrypt`,
        );
      throw e;
    }
  }

  /**
   * After a key rotation: re-encrypts the rows of `table` written under an old key (one in
   * ENCRYPTION_KEY_PREVIOUS) under ENCRYPTION_KEY. The table has `id`, `key_id`, `nonce`,
   * `ciphertext` and the `contextColumns` that `context` binds each value to. Prefer `reencrypt`
   * with the owning module's repository as the store: this writes the table by name.
   */
  reencryptTable<Row extends Record<string, unknown>>(
    table: string,
    contextColumns: (keyof Row & string)[],
    context: (row: Row) => string,
    batch = 200,
  ): Promise<number> {
    return this.reencrypt(
      sealedTableStore<Row>(table, contextColumns),
      (r) => context(r.columns),
      batch,
    );
  }

  /**
   * After a key rotation: re-encrypts the rows `store` holds under an old key (one in
   * ENCRYPTION_KEY_PREVIOUS) under ENCRYPTION_KEY, in batches locked with SKIP LOCKED so that
   * instances share the work; `context` is what each value is bound to. Once it returns 0 the
   * old key can go.
   */
  async reencrypt<Row extends SealedRow>(
    store: SealedRowStore<Row>,
    context: (row: Row) => string,
    batch = 200,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (m) => {
        const rows = await store.lockStale(m, this.keyId, batch);
        for (const r of rows) {
          const ctx = context(r);
          await store.saveSealed(m, r, this.encrypt(this.decrypt(r, ctx), ctx));
        }
        return rows.length;
      });
      total += done;
      if (done < batch) return total;
    }
  }
}
