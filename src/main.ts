import 'reflect-metadata';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from './app';
import { EncryptionKeyMismatchError } from './common/crypto/encryption.service';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { dataSourceOptions } from './database/data-source-options';
import {
  EmbeddedDatabaseError,
  EmbeddedPostgresHandle,
  startEmbeddedPostgres,
} from './database/embedded-postgres';
import { runMigrationsLocked } from './database/migrate';
import { SeedService } from './seed/seed.service';
import { Say, sayer, summaryLines } from './startup-summary';

type App = Awaited<ReturnType<typeof createApp>>;

async function migrate(url: string, say: Say, pretty: boolean): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
  await ds.initialize();
  try {
    const ran = await runMigrationsLocked(ds);
    if (ran.length)
      say(
        pretty
          ? `applied ${ran.length} migration(s)`
          : `applied ${ran.length} migration(s): ${ran.join(', ')}`,
      );
  } finally {
    await ds.destroy();
  }
}

/** Tries the HTTP port before anything slow starts, so a taken port fails at once (listen() still decides). */
function tryPort(port: number): Promise<unknown> {
  return new Promise((resolve) => {
    if (port === 0) return resolve(null);
    const server = createServer();
    server.once('error', (e) => resolve(e));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(null)));
  });
}

/** One sentence for a port Mend itself can't listen on; null for any other error. */
function listenProblem(e: unknown, port: number): string | null {
  const code = (e as { code?: unknown }).code;
  if (code === 'EADDRINUSE')
    return `Port ${port} is already in use (another Mend?): stop that program, or set PORT to a free port.`;
  if (code === 'EACCES')
    return `Mend may not listen on port ${port}: set PORT to a number above 1023.`;
  return null;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, process.cwd(), process.stdout.isTTY === true);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    const { code, path } = e as { code?: string; path?: string };
    if (
      path &&
      (code === 'EACCES' ||
        code === 'EPERM' ||
        code === 'EROFS' ||
        code === 'ENOSPC' ||
        code === 'ENOTDIR')
    ) {
      const why =
        code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'EROFS'
            ? 'it is read-only'
            : 'it is not a folder you may write to';
      process.stderr.write(
        `Mend can't keep its files in ${path} (${why}): set DATA_DIR to a folder you can write to.\n`,
      );
      process.exit(78);
    }
    throw e;
  }
  const pretty = config.logPretty;
  const say = sayer(pretty);

  // Everything started so far, so that any failure or signal stops it in order (app, then PostgreSQL).
  let app: App | null = null;
  let embedded: Promise<EmbeddedPostgresHandle | null> = Promise.resolve(null);
  let stopping = false;
  const stopAll = async () => {
    if (app) await app.close().catch(() => undefined); // HTTP server, job workers, then the pool
    const pg = await embedded.catch(() => null);
    if (pg) await pg.stop().catch(() => undefined);
  };
  const fail = async (sentence: string, code = 1): Promise<never> => {
    process.stderr.write(`${sentence}\n`);
    if (!stopping) {
      stopping = true;
      await stopAll();
    }
    process.exit(code);
  };
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: finishing requests in flight, then stopping`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      await stopAll();
    } finally {
      say('stopped cleanly');
      process.exit(0);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
    process.on(signal, () => void shutdown(signal));

  const portTaken = listenProblem((await tryPort(config.port)) ?? {}, config.port);
  if (portTaken) return fail(portTaken);

  let databaseUrl = config.databaseUrl;
  let clusterDir: string | null = null;
  if (!databaseUrl) {
    say(
      pretty
        ? 'Starting the embedded PostgreSQL…'
        : `starting the embedded PostgreSQL (data under ${config.dataDir})`,
    );
    embedded = startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres') });
    try {
      const pg = (await embedded)!;
      if (stopping) return; // a signal came during the start: shutdown() stops it
      databaseUrl = pg.localUrl;
      clusterDir = pg.clusterDir;
    } catch (e) {
      if (stopping) return; // Ctrl-C during the first start interrupts initdb: nothing more to say
      if (e instanceof EmbeddedDatabaseError) return fail(e.message);
      return fail(
        `The embedded PostgreSQL could not start: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  try {
    await migrate(databaseUrl, say, pretty);
  } catch (e) {
    return fail(`Could not prepare the database: ${(e as Error).message}`);
  }
  if (stopping) return;

  try {
    app = await createApp(config, { databaseUrl });
  } catch (e) {
    // A start-up check (e.g. ENCRYPTION_KEY against the stored check value) failed: say so once and stop.
    return fail(
      e instanceof Error ? e.message : String(e),
      e instanceof EncryptionKeyMismatchError ? 78 : 1,
    );
  }
  const seed = await app.get(SeedService).run();
  app.enableShutdownHooks([]);
  try {
    await app.listen({ port: config.port, host: '0.0.0.0' });
  } catch (e) {
    const sentence = listenProblem(e, config.port);
    if (sentence) return fail(sentence);
    throw e;
  }
  if (stopping) return;
  for (const line of summaryLines(
    { config, clusterDir, createdPasswordFile: seed.coachPasswordFile },
    pretty,
  ))
    say(line);
}

main().catch((e: unknown) => {
  process.stderr.write(`Mend could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
