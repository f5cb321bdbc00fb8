import { join } from 'node:path';
import { Client } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';

/**
 * The app's pool, sized for web traffic and the workers together: requests hold a connection for
 * one query or one short transaction; the workers (mail claims and records, job handlers) never
 * hold one across a network call, so a small share is enough for them. pg-boss keeps its own pool
 * (JOBS_POOL_SIZE, 4) and each instance one LISTEN connection: 20 + 8 + 4 + 1 = 33 connections per
 * instance, so PostgreSQL's default max_connections (100) serves three instances.
 */
export const WEB_POOL_SIZE = 20;
export const WORKER_POOL_SIZE = 8;

/**
 * A pg Client that always has an 'error' listener. When PostgreSQL terminates a connection that
 * was just handed out, its ReadyForQuery and the FATAL error can arrive in one packet: pg-pool has
 * removed its idle listener and TypeORM attaches its own one microtask later, so the 'error' event
 * found no listener and crashed the process. The error still reaches everyone who needs it (the
 * query that was running is rejected, TypeORM releases the runner, the pool drops the client);
 * this listener only keeps the process alive.
 */
export class ResilientClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** The single description of Mend's database, used by the app, the TypeORM CLI and the tests. */
export function dataSourceOptions(
  url: string,
  overrides: { poolSize?: number } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: overrides.poolSize ?? WEB_POOL_SIZE + WORKER_POOL_SIZE,
    extra: { connectionTimeoutMillis: 5000, Client: ResilientClient },
  };
}
