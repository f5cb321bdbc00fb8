import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EmbeddedDatabaseError, describeEmbeddedFailure } from './embedded-failure';

/**
 * Where the embedded PostgreSQL's programs and data live. As a normal user: where they are
 * (node_modules, DATA_DIR/postgres). As root, PostgreSQL runs as its own user ("postgres"), who may
 * not be able to reach a checkout inside a 0700 folder (a home folder, `mktemp -d`): then the
 * programs are linked (or copied) once per version under SYSTEM_DIR, and the data goes to a
 * per-folder directory there, owned by that user, found again on the next start by its path.
 */
export const SYSTEM_DIR = '/var/lib/mend';
export const RUN_AS = 'postgres';

export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export interface Binaries {
  postgres: string;
  initdb: string;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function idOf(flag: '-u' | '-g', name: string): number | null {
  const r = spawnSync('id', [flag, name], { encoding: 'utf8' });
  return r.status === 0 && /^\d+\s*$/.test(r.stdout) ? Number(r.stdout.trim()) : null;
}

/** The postgres user (created if missing), as root only; null for a normal user. */
export function ensureRunAsUser(clusterDir: string): RunAs | null {
  if (!isRoot()) return null;
  let uid = idOf('-u', RUN_AS);
  if (uid === null) {
    if (idOf('-g', RUN_AS) === null)
      spawnSync('groupadd', ['--system', RUN_AS], { encoding: 'utf8' });
    const made = spawnSync(
      'useradd',
      ['--system', '-g', RUN_AS, '--no-create-home', '--shell', '/usr/sbin/nologin', RUN_AS],
      { encoding: 'utf8' },
    );
    uid = idOf('-u', RUN_AS);
    if (uid === null) {
      const output = `${made.stderr ?? ''}${made.error ? made.error.message : ''}`;
      throw new EmbeddedDatabaseError(
        describeEmbeddedFailure({ step: 'user', clusterDir, runAs: RUN_AS, output }),
        output,
      );
    }
  }
  const gid = idOf('-g', RUN_AS) ?? uid;
  return { name: RUN_AS, uid, gid };
}

/** The nearest folder that exists at or above `path`. */
function nearestExisting(path: string): string {
  let dir = resolve(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Whether `runAs` can get to `path` (or, if it does not exist yet, to the nearest folder above it
 * that does) — asked of the system itself, so ACLs and mount options count.
 */
export function canReach(path: string, runAs: RunAs | null): boolean {
  if (!runAs) return true;
  const r = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', nearestExisting(path)], {
    uid: runAs.uid,
    gid: runAs.gid,
    stdio: 'ignore',
  });
  return r.status === 0;
}

/** The first folder on the way to `path`, itself included, that others may not enter (for an error sentence). */
export function firstClosedFolder(path: string): string | null {
  let dir = '/';
  for (const part of ['', ...resolve(path).split('/').filter(Boolean)]) {
    dir = join(dir, part);
    try {
      if ((lstatSync(dir).mode & 0o001) === 0) return dir;
    } catch {
      return dir;
    }
  }
  return null;
}

/** The per-folder directory under SYSTEM_DIR for data requested at `home`: readable name + path hash. */
export function systemHomeFor(home: string, systemDir = SYSTEM_DIR): string {
  const abs = resolve(home);
  const hash = createHash('sha256').update(abs).digest('hex').slice(0, 12);
  const parts = abs.split('/').filter((p) => p && p !== 'postgres' && p !== '.data');
  const slug =
    (parts.at(-1) ?? 'mend')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'mend';
  return join(systemDir, `${slug}-${hash}`);
}

const hasCluster = (home: string) => existsSync(join(home, 'cluster', 'PG_VERSION'));

/**
 * Chooses the folder that holds {cluster, password} for data requested at `home`: an existing
 * cluster is found again wherever it is; a new one goes to `home` when PostgreSQL's user can reach
 * it, else under SYSTEM_DIR.
 */
export function chooseHome(home: string, runAs: RunAs | null, systemDir = SYSTEM_DIR): string {
  if (!runAs) return home;
  const system = systemHomeFor(home, systemDir);
  if (hasCluster(home)) {
    if (canReach(join(home, 'cluster'), runAs)) return home;
    if (hasCluster(system)) return system;
    const closed = firstClosedFolder(home) ?? dirname(home);
    throw new EmbeddedDatabaseError(
      `The PostgreSQL data in ${join(home, 'cluster')} can't be reached by the ${runAs.name} user that runs it, because ${closed} is closed to other users: ` +
        `open it with chmod o+x ${closed}, or move ${home} aside to start afresh.`,
    );
  }
  if (hasCluster(system)) return system;
  return canReach(home, runAs) ? home : system;
}

/** Creates the folder for the data and, under SYSTEM_DIR, gives it to PostgreSQL's user. */
export function prepareHome(home: string, runAs: RunAs | null, systemDir = SYSTEM_DIR): void {
  mkdirSync(home, { recursive: true });
  if (runAs && resolve(home).startsWith(resolve(systemDir) + '/')) {
    chmodSync(systemDir, 0o755);
    chownSync(home, runAs.uid, runAs.gid);
    chmodSync(home, 0o700);
  }
}

function runsAs(postgres: string, runAs: RunAs): boolean {
  const r = spawnSync(postgres, ['--version'], {
    uid: runAs.uid,
    gid: runAs.gid,
    encoding: 'utf8',
  });
  return r.status === 0 && /postgres/i.test(r.stdout ?? '');
}

/** Hard-links (or, across file systems, copies) a folder tree, keeping modes and symbolic links. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { mode: 0o755 });
  chmodSync(to, 0o755);
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    const st = lstatSync(src);
    if (st.isDirectory()) linkTree(src, dst);
    else if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    else {
      try {
        linkSync(src, dst);
      } catch {
        copyFileSync(src, dst);
        chmodSync(dst, st.mode & 0o7777);
      }
    }
  }
}

/**
 * PostgreSQL's programs, where its user can run them: in node_modules if reachable, else a
 * per-version copy under SYSTEM_DIR (made once; renamed into place whole, so never half there).
 */
export function reachableBinaries(
  bins: Binaries,
  runAs: RunAs | null,
  clusterDir: string,
  systemDir = SYSTEM_DIR,
): Binaries {
  if (!runAs || runsAs(bins.postgres, runAs)) return bins;
  const native = dirname(dirname(bins.postgres)); // …/native (bin, lib, share)
  const pkg = dirname(native);
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    /* an unversioned copy still works */
  }
  const target = join(systemDir, `postgresql-${basename(pkg)}-${version}`);
  const staged = {
    postgres: join(target, 'bin', basename(bins.postgres)),
    initdb: join(target, 'bin', basename(bins.initdb)),
  };
  if (!existsSync(target)) {
    const partial = `${target}.partial-${process.pid}`;
    try {
      mkdirSync(systemDir, { recursive: true, mode: 0o755 });
      chmodSync(systemDir, 0o755);
      rmSync(partial, { recursive: true, force: true });
      linkTree(native, partial);
      try {
        renameSync(partial, target);
      } catch (e) {
        if (!existsSync(target)) throw e; // another start made it first: use theirs
        rmSync(partial, { recursive: true, force: true });
      }
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      throw new EmbeddedDatabaseError(
        describeEmbeddedFailure({ step: 'binaries', clusterDir, runAs: runAs.name, error }),
        String(error),
      );
    }
  }
  if (!runsAs(staged.postgres, runAs)) {
    const error = Object.assign(new Error('permission denied'), {
      code: 'EACCES',
      path: staged.postgres,
    });
    throw new EmbeddedDatabaseError(
      describeEmbeddedFailure({ step: 'binaries', clusterDir, runAs: runAs.name, error }),
    );
  }
  return staged;
}
