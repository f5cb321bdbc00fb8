import { EntityManager } from 'typeorm';
import { Encrypted } from './encryption';

/** A stored encrypted value with the id of its row. */
export interface SealedRow extends Encrypted {
  id: string;
}

/**
 * The port through which EncryptionService re-encrypts a table after a key rotation without
 * knowing it: the repository that owns the table implements it (e.g. ReflectionsRepository).
 */
export interface SealedRowStore<Row extends SealedRow> {
  /** Up to `limit` rows not under `currentKeyId`, locked FOR UPDATE SKIP LOCKED in `m`'s transaction. */
  lockStale(m: EntityManager, currentKeyId: string, limit: number): Promise<Row[]>;
  /** Replaces the row's sealed value (and nothing else: not its updated_at). */
  saveSealed(m: EntityManager, row: Row, sealed: Encrypted): Promise<void>;
}
