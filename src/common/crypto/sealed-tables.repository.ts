import { EntityManager } from 'typeorm';
import { Encrypted } from './encryption';
import { SealedRow, SealedRowStore } from './sealed-row-store';

/** A row of a named table as the generic store reads it: the sealed value and the context columns. */
export interface SealedTableRow<Row> extends SealedRow {
  columns: Row;
}

/**
 * A SealedRowStore over any table with `id`, `key_id`, `nonce`, `ciphertext` and the
 * `contextColumns` that bind each value: what EncryptionService.reencryptTable uses for the
 * modules that have not given their repository a store of its own yet (prefer one: a module's
 * repository should be the only code that touches its table).
 */
export function sealedTableStore<Row extends Record<string, unknown>>(
  table: string,
  contextColumns: (keyof Row & string)[],
): SealedRowStore<SealedTableRow<Row>> {
  const columns = ['id', 'key_id', 'nonce', 'ciphertext', ...contextColumns]
    .map((c) => `"${c}"`)
    .join(', ');
  return {
    async lockStale(m: EntityManager, currentKeyId: string, limit: number) {
      const rows: (Row & { id: string; key_id: string; nonce: Buffer; ciphertext: Buffer })[] =
        await m.query(
          `SELECT ${columns} FROM "${table}" WHERE key_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [currentKeyId, limit],
        );
      return rows.map((r) => ({
        id: r.id,
        keyId: r.key_id,
        nonce: r.nonce,
        ciphertext: r.ciphertext,
        columns: r,
      }));
    },
    async saveSealed(m: EntityManager, row: SealedTableRow<Row>, sealed: Encrypted) {
      await m.query(
        `UPDATE "${table}" SET key_id = $2, nonce = $3, ciphertext = $4 WHERE id = $1`,
        [row.id, sealed.keyId, sealed.nonce, sealed.ciphertext],
      );
    },
  };
}
