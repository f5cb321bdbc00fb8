import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from './app';
import { EncryptionKeyMismatchError } from './common/crypto/encryption.service';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { dataSourceOptions } from './database/data-source-options';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrationsLocked } from './database/migrate';
import { SeedService } from './seed/seed.service';

function say(message: string): void {
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), app: 'mend', msg: message })}\n`);
}

async function migrate(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 2 }));
  await ds.initialize();
  try {
    const ran = await runMigrationsLocked(ds);
    if (ran.length) say(`applied ${ran.length} migration(s): ${ran.join(', ')}`);
  } finally {
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }

  let embedded: EmbeddedPostgresHandle | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    say(`starting the embedded PostgreSQL (data in ${join(config.dataDir, 'postgres')})`);
    embedded = await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres') });
    databaseUrl = embedded.url;
  }

  let stopping = false;
  const stopEmbedded = async () => {
    if (embedded) await embedded.stop().catch(() => undefined);
  };
  try {
    await migrate(databaseUrl);
  } catch (e) {
    process.stderr.write(`Could not prepare the database: ${(e as Error).message}\n`);
    await stopEmbedded();
    process.exit(1);
  }

  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, { databaseUrl });
  } catch (e) {
    // A start-up check (e.g. ENCRYPTION_KEY against the stored check value) failed: say so once and stop.
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    await stopEmbedded();
    process.exit(e instanceof EncryptionKeyMismatchError ? 78 : 1);
  }
  const seed = await app.get(SeedService).run();
  app.enableShutdownHooks([]);
  await app.listen({ port: config.port, host: '0.0.0.0' });

  say(`Mend is running on ${config.publicUrl}`);
  if (seed.coachPasswordFile) {
    say(`coach account ${config.coach.email} created; its password is in ${seed.coachPasswordFile} (readable by you only)`);
  }
  if (!config.stripe.secretKey) say('payments run in local test mode: no money moves');
  if (!config.mail.url) say(`no MAIL_URL: mail is kept in the outbox (${config.publicUrl}/coach/outbox)`);

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: finishing requests in flight, then stopping`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      await app.close(); // HTTP server, job workers, then the connection pool
    } finally {
      await stopEmbedded();
      say('stopped cleanly');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`Mend could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
