import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config/config';
import { databaseWhere, sayer, summaryLines } from './startup-summary';

const tmp = () => mkdtempSync(join(tmpdir(), 'mend-summary-'));

describe('the start-up summary', () => {
  it('says in a few lines where to open Mend, the coach login and its password file, test mode, the outbox and the data', () => {
    const dataDir = tmp();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '4100' });
    const lines = summaryLines(
      {
        config,
        clusterDir: '/var/lib/mend/mend-0123456789ab/cluster',
        createdPasswordFile: join(dataDir, 'initial-coach-password'),
      },
      true,
    );
    expect(lines[0]).toBe('Mend is running on http://localhost:4100');
    const text = lines.join('\n');
    expect(text).toContain(
      `coach@mend.local (created now); password in ${join(dataDir, 'initial-coach-password')}`,
    );
    expect(text).toContain('local test mode: no money moves');
    expect(text).toContain('kept in the outbox: http://localhost:4100/coach/outbox');
    expect(text).toContain(
      `embedded PostgreSQL in /var/lib/mend/mend-0123456789ab/cluster (where its own user can reach it); key and password files in ${dataDir}`,
    );
    expect(lines.length).toBeLessThanOrEqual(7);
  });

  it('on a later start still points at the password file while it exists, and never prints a password', () => {
    const dataDir = tmp();
    writeFileSync(join(dataDir, 'initial-coach-password'), 'coach@mend.local\nsecret-pw-123\n');
    const config = loadConfig({ DATA_DIR: dataDir });
    const text = summaryLines(
      { config, clusterDir: join(dataDir, 'postgres', 'cluster'), createdPasswordFile: null },
      true,
    ).join('\n');
    expect(text).toContain(`password in ${join(dataDir, 'initial-coach-password')}`);
    expect(text).toContain(`embedded PostgreSQL in ${join(dataDir, 'postgres', 'cluster')};`);
    expect(text).not.toContain('secret-pw-123');
    const withEnv = summaryLines(
      {
        config: loadConfig({ DATA_DIR: tmp(), COACH_PASSWORD: 'chosen-password-1' }),
        clusterDir: null,
        createdPasswordFile: null,
      },
      false,
    ).join('\n');
    expect(withEnv).toContain('COACH_PASSWORD');
    expect(withEnv).not.toContain('chosen-password-1');
  });

  it('names an external database by host and name, never its password', () => {
    expect(databaseWhere('postgres://mend:s3cret@db.internal:5433/mend')).toBe(
      'db.internal:5433/mend',
    );
    const config = loadConfig({
      DATA_DIR: tmp(),
      DATABASE_URL: 'postgres://mend:s3cret@db.internal:5433/mend',
    });
    const text = summaryLines({ config, clusterDir: null, createdPasswordFile: null }, false).join(
      '\n',
    );
    expect(text).toContain('PostgreSQL at db.internal:5433/mend (DATABASE_URL)');
    expect(text).not.toContain('s3cret');
  });

  it('prints plain lines in a terminal and JSON lines otherwise', () => {
    let out = '';
    sayer(true, (s) => (out += s))('Mend is running on http://localhost:3000');
    expect(out).toBe('Mend is running on http://localhost:3000\n');
    out = '';
    sayer(false, (s) => (out += s))('  data: x');
    expect(JSON.parse(out)).toMatchObject({ level: 30, app: 'mend', msg: 'data: x' });
  });
});
