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
        'Set ENCRYPTION_KEY to the original key; Mend will not start with a wrong key rather than show garbage.',
    );
    this.name = 'EncryptionKeyMismatchError';
  }
}

/** Encrypts and decrypts private text under ENCRYPTION_KEY; verifies the key at start-up. */
@Injectable()
export class EncryptionService implements OnModuleInit {
  readonly keyId: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.keyId = keyIdOf(config.encryptionKey);
  }

  async onModuleInit(): Promise<void> {
    await this.verifyKey();
  }

  encrypt(plaintext: string, context: string): Encrypted {
    return encrypt(this.config.encryptionKey, plaintext, context);
  }

  decrypt(value: Encrypted, context: string): string {
    return decrypt(this.config.encryptionKey, value, context);
  }

  /**
   * The first start writes the check value for its key; later starts must find and decrypt it.
   * A database that knows other keys but not this one refuses to start (rotation would add an
   * explicit previous-key setting and re-encrypt; until then a different key is a mistake).
   */
  async verifyKey(): Promise<void> {
    const check = this.encrypt(CHECK_PLAINTEXT, CHECK_CONTEXT);
    await this.dataSource.query(
      `INSERT INTO encryption_key_checks (key_id, nonce, ciphertext)
       SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM encryption_key_checks)
       ON CONFLICT (key_id) DO NOTHING`,
      [check.keyId, check.nonce, check.ciphertext],
    );
    const rows: { key_id: string; nonce: Buffer; ciphertext: Buffer }[] = await this.dataSource.query(
      `SELECT key_id, nonce, ciphertext FROM encryption_key_checks WHERE key_id = $1`,
      [this.keyId],
    );
    if (!rows.length) throw new EncryptionKeyMismatchError(`this database knows no key with id ${this.keyId}`);
    try {
      const plain = this.decrypt({ keyId: rows[0].key_id, nonce: rows[0].nonce, ciphertext: rows[0].ciphertext }, CHECK_CONTEXT);
      if (plain !== CHECK_PLAINTEXT) throw new DecryptionError('unexpected check value');
    } catch (e) {
      if (e instanceof DecryptionError) throw new EncryptionKeyMismatchError('the stored check value does not decrypt');
      throw e;
    }
  }
}
