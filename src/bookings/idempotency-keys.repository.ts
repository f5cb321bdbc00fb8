import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ComposedStatement } from '../database/composed-statement';

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

  /**
   * For a composed statement: stores the answer with its effect, when the CTE `after` has a row
   * (a second writer of the key fails the whole statement with 23505).
   */
  insertCte(
    s: ComposedStatement,
    after: string,
    key: string,
    requestHash: string,
    statusCode: number,
    response: object,
  ): void {
    s.with(
      'idempotent_answer',
      `INSERT INTO idempotency_keys (key, request_hash, status_code, response)
       SELECT ${s.param(key)}, ${s.param(requestHash)}, ${s.param(statusCode, 'int')}, ${s.param(JSON.stringify(response), 'jsonb')}
       FROM ${after}`,
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
