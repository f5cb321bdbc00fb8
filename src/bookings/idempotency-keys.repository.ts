import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  response: Record<string, unknown>;
}

/** Every query on idempotency_keys: the stored answers of requests made with an Idempotency-Key. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(key: string): Promise<StoredAnswer | null> {
    const [row]: {
      request_hash: string;
      status_code: number;
      response: Record<string, unknown>;
    }[] = await this.dataSource.query(
      `SELECT request_hash, status_code, response FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    return row
      ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response }
      : null;
  }

  /** Stores the answer with its effect (inside the caller's transaction); a second writer of the key fails (23505). */
  async insert(
    m: EntityManager,
    key: string,
    requestHash: string,
    statusCode: number,
    response: object,
  ): Promise<void> {
    await m.query(
      `INSERT INTO idempotency_keys (key, request_hash, status_code, response) VALUES ($1, $2, $3, $4)`,
      [key, requestHash, statusCode, JSON.stringify(response)],
    );
  }

  async replaceResponse(key: string, response: object): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_keys SET response = $2 WHERE key = $1`, [
      key,
      JSON.stringify(response),
    ]);
  }

  async delete(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE key = $1`, [key]);
  }

  /** Account erasure: stored answers that repeat the person's email (inside the caller's transaction). */
  async deleteAnswersFor(m: EntityManager, email: string): Promise<void> {
    await m.query(`DELETE FROM idempotency_keys WHERE response->>'email' = $1`, [email]);
  }
}
