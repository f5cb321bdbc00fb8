// Runs a command with DATABASE_URL pointing at a fresh, throwaway embedded PostgreSQL that has
// every committed migration applied. Used by `npm run migration:generate -- migrations/Name`, so
// generating a migration needs no database of your own.
//   node scripts/with-temp-db.mjs <command> [args…]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('ts-node/register/transpile-only');
const { startEmbeddedPostgres } = require('../src/database/embedded-postgres.ts');

const dir = mkdtempSync(join(tmpdir(), 'mend-temp-db-'));
chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir });
let status;
try {
  const env = { ...process.env, DATABASE_URL: pg.url };
  const run = (args) => spawnSync(args[0], args.slice(1), { stdio: 'inherit', env }).status ?? 1;
  status = run(['npx', 'typeorm-ts-node-commonjs', '-d', 'src/database/data-source.ts', 'migration:run']);
  if (status === 0) status = run(process.argv.slice(2));
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
