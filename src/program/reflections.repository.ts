import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Encrypted } from '../common/crypto/encryption';
import { SealedRowStore } from '../common/crypto/sealed-row-store';
import { Reflection } from './reflection.entity';

/** A reflection row as the key rotation sees it. */
export interface SealedReflection extends Encrypted {
  id: string;
  userId: string;
  step: number;
}

/**
 * The program's `reflections` table: what members write on each step, encrypted (the services
 * encrypt and decrypt; this class only stores the sealed values). Methods take the caller's
 * transaction manager when they run inside one.
 */
@Injectable()
export class ReflectionsRepository implements SealedRowStore<SealedReflection> {
  constructor(private readonly dataSource: DataSource) {}

  /** Every encryption key id some reflection is stored under (start-up check). */
  async keyIdsInUse(): Promise<string[]> {
    const rows: { key_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT key_id FROM reflections`,
    );
    return rows.map((r) => r.key_id);
  }

  findForMemberStep(
    userId: string,
    step: number,
    m: EntityManager = this.dataSource.manager,
  ): Promise<Reflection | null> {
    return m.findOne(Reflection, { where: { userId, step } });
  }

  /** The member's reflection on a step, locked FOR UPDATE until the caller's transaction ends. */
  findForMemberStepForUpdate(
    m: EntityManager,
    userId: string,
    step: number,
  ): Promise<Reflection | null> {
    return m.findOne(Reflection, {
      where: { userId, step },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Writes the member's reflection on a step (one per step). `shared` null keeps the sharing as
   * it was (a new reflection is private); returns the row as stored.
   */
  async saveText(
    m: EntityManager,
    userId: string,
    step: number,
    sealed: Encrypted,
    shared: boolean | null,
  ): Promise<Reflection> {
    await m.query(
      `INSERT INTO reflections (user_id, step, key_id, nonce, ciphertext, shared_with_coach, updated_at)
       VALUES ($1, $2, $3, $4, $5, COALESCE($6::boolean, false), now())
       ON CONFLICT (user_id, step) DO UPDATE SET key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce,
         ciphertext = EXCLUDED.ciphertext,
         shared_with_coach = COALESCE($6::boolean, reflections.shared_with_coach), updated_at = now()`,
      [userId, step, sealed.keyId, sealed.nonce, sealed.ciphertext, shared],
    );
    return m.findOneOrFail(Reflection, { where: { userId, step } });
  }

  /** Shares the reflection with the coach or makes it private again; returns the row as stored. */
  async setShared(m: EntityManager, id: string, shared: boolean): Promise<Reflection> {
    await m.update(Reflection, { id }, { sharedWithCoach: shared });
    return m.findOneOrFail(Reflection, { where: { id } });
  }

  /** All of a member's reflections, by step. */
  findForMember(userId: string, m: EntityManager = this.dataSource.manager): Promise<Reflection[]> {
    return m.find(Reflection, { where: { userId }, order: { step: 'ASC' } });
  }

  /** Only the reflections the member chose to share with the coach, by step. */
  findSharedByMember(userId: string): Promise<Reflection[]> {
    return this.dataSource.manager.find(Reflection, {
      where: { userId, sharedWithCoach: true },
      order: { step: 'ASC' },
    });
  }

  async deleteForMember(m: EntityManager, userId: string): Promise<void> {
    await m.delete(Reflection, { userId });
  }

  // ---- SealedRowStore: the key rotation re-encrypts through these ----

  async lockStale(
    m: EntityManager,
    currentKeyId: string,
    limit: number,
  ): Promise<SealedReflection[]> {
    const rows: {
      id: string;
      user_id: string;
      step: number;
      key_id: string;
      nonce: Buffer;
      ciphertext: Buffer;
    }[] = await m.query(
      `SELECT id, user_id, step, key_id, nonce, ciphertext FROM reflections
       WHERE key_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [currentKeyId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      step: r.step,
      keyId: r.key_id,
      nonce: r.nonce,
      ciphertext: r.ciphertext,
    }));
  }

  async saveSealed(m: EntityManager, row: SealedReflection, sealed: Encrypted): Promise<void> {
    // Raw, so that updated_at (when the member last wrote) stays as it was.
    await m.query(`UPDATE reflections SET key_id = $2, nonce = $3, ciphertext = $4 WHERE id = $1`, [
      row.id,
      sealed.keyId,
      sealed.nonce,
      sealed.ciphertext,
    ]);
  }
}
