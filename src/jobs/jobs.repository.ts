import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/** The NOTIFY channel that carries the name of a loop with new work (sent at commit). */
export const WAKE_CHANNEL = 'mend_wake';

/** The SQL of the jobs module: wake-ups (NOTIFY / LISTEN) and pg-boss statements inside a caller's transaction. */
@Injectable()
export class JobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** NOTIFY is transactional: the loop `name` is woken on every instance when the caller commits. */
  async notify(manager: EntityManager, name: string): Promise<void> {
    await manager.query(`SELECT pg_notify($1, $2)`, [WAKE_CHANNEL, name]);
  }

  /** NOTIFY at once, outside any transaction (a statement of its own, which writes nothing). */
  async notifyNow(name: string): Promise<void> {
    await this.dataSource.query(`SELECT pg_notify($1, $2)`, [WAKE_CHANNEL, name]);
  }

  /** Runs a statement pg-boss built (sending a job) on the caller's transaction. */
  async execute(manager: EntityManager, text: string, values: unknown[]): Promise<unknown[]> {
    return manager.query(text, values) as Promise<unknown[]>;
  }
}

/** Subscribes an instance's dedicated connection to the wake-up channel. */
export async function listenForWakeups(client: Client): Promise<void> {
  await client.query(`LISTEN ${WAKE_CHANNEL}`);
}
