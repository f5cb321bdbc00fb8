import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Encrypted } from './encryption';
import { SealedRow, SealedRowStore } from './sealed-row-store';

/** An app secret as stored (sealed under an ENCRYPTION_KEY). */
export interface SealedSecret extends SealedRow {
  name: string;
}

/** The `app_secrets` table: secrets the app makes for itself, stored encrypted. */
@Injectable()
export class AppSecretsRepository implements SealedRowStore<SealedSecret> {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the secret unless one of that name exists (the first instance to start makes it). */
  async addIfAbsent(name: string, sealed: Encrypted): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO app_secrets (name, key_id, nonce, ciphertext) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
      [name, sealed.keyId, sealed.nonce, sealed.ciphertext],
    );
  }

  async findByName(name: string): Promise<SealedSecret | null> {
    const [row]: { id: string; key_id: string; nonce: Buffer; ciphertext: Buffer }[] =
      await this.dataSource.query(
        `SELECT id, key_id, nonce, ciphertext FROM app_secrets WHERE name = $1`,
        [name],
      );
    return row ? toSealed({ ...row, name }) : null;
  }

  async lockStale(m: EntityManager, currentKeyId: string, limit: number): Promise<SealedSecret[]> {
    const rows: { id: string; name: string; key_id: string; nonce: Buffer; ciphertext: Buffer }[] =
      await m.query(
        `SELECT id, name, key_id, nonce, ciphertext FROM app_secrets WHERE key_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [currentKeyId, limit],
      );
    return rows.map(toSealed);
  }

  async saveSealed(m: EntityManager, row: SealedSecret, sealed: Encrypted): Promise<void> {
    await m.query(`UPDATE app_secrets SET key_id = $2, nonce = $3, ciphertext = $4 WHERE id = $1`, [
      row.id,
      sealed.keyId,
      sealed.nonce,
      sealed.ciphertext,
    ]);
  }
}

const toSealed = (r: {
  id: string;
  name: string;
  key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
}): SealedSecret => ({
  id: r.id,
  name: r.name,
  keyId: r.key_id,
  nonce: r.nonce,
  ciphertext: r.ciphertext,
});
