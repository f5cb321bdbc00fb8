import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Encrypted } from './encryption';

/**
 * The `encryption_key_checks` table: one known value per ENCRYPTION_KEY this database has
 * known, encrypted under it (start-up decrypts it to prove the configured key is the right one).
 */
@Injectable()
export class KeyChecksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every stored check value. */
  async findAll(): Promise<Encrypted[]> {
    const rows: { key_id: string; nonce: Buffer; ciphertext: Buffer }[] =
      await this.dataSource.query(`SELECT key_id, nonce, ciphertext FROM encryption_key_checks`);
    return rows.map((r) => ({ keyId: r.key_id, nonce: r.nonce, ciphertext: r.ciphertext }));
  }

  /**
   * Stores the check value of its key (a key's first value stays); with `onlyIfNone`, only when
   * the table is still empty (the very first start), in the same statement.
   */
  async add(check: Encrypted, onlyIfNone: boolean): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO encryption_key_checks (key_id, nonce, ciphertext)
       SELECT $1, $2, $3 WHERE NOT $4 OR NOT EXISTS (SELECT 1 FROM encryption_key_checks)
       ON CONFLICT (key_id) DO NOTHING`,
      [check.keyId, check.nonce, check.ciphertext, onlyIfNone],
    );
  }
}
