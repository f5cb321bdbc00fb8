import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './config/config';

/**
 * What `npm start` prints: a few plain lines in a terminal (LOG_PRETTY), the same facts as JSON
 * lines otherwise — never a page of framework route listings.
 */
export type Say = (message: string) => void;

export function sayer(
  pretty: boolean,
  write: (s: string) => void = (s) => process.stdout.write(s),
): Say {
  return pretty
    ? (message) => write(`${message}\n`)
    : (message) =>
        write(
          `${JSON.stringify({ level: 30, time: Date.now(), app: 'mend', msg: message.trim() })}\n`,
        );
}

export interface StartFacts {
  config: AppConfig;
  /** The embedded PostgreSQL's data directory; null when DATABASE_URL is set. */
  clusterDir: string | null;
  /** Set when this start created the coach account with a generated password. */
  createdPasswordFile: string | null;
}

/** host:port/database of a DATABASE_URL, never its user or password. */
export function databaseWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

function coachLine(facts: StartFacts): string {
  const { config, createdPasswordFile } = facts;
  const email = config.coach.email;
  if (createdPasswordFile)
    return `${email} (created now); password in ${createdPasswordFile} (readable by you only)`;
  const file = join(config.dataDir, 'initial-coach-password');
  if (!config.coach.password && existsSync(file))
    return `${email}; password in ${file} (readable by you only)`;
  if (config.coach.password) return `${email}; its first password came from COACH_PASSWORD`;
  return `${email}; password as you last set it (reset it from the sign-in page, the mail goes to the outbox)`;
}

function dataLine(facts: StartFacts): string {
  const { config, clusterDir } = facts;
  if (!clusterDir)
    return `PostgreSQL at ${databaseWhere(config.databaseUrl ?? '')} (DATABASE_URL); local files in ${config.dataDir}`;
  const elsewhere = !clusterDir.startsWith(config.dataDir + '/');
  return elsewhere
    ? `embedded PostgreSQL in ${clusterDir} (where its own user can reach it); key and password files in ${config.dataDir}`
    : `embedded PostgreSQL in ${clusterDir}; key and password files in ${config.dataDir}`;
}

/** The summary, one fact a line; the first line always starts "Mend is running on". */
export function summaryLines(facts: StartFacts, pretty: boolean): string[] {
  const { config } = facts;
  const rows: [string, string][] = [['coach', coachLine(facts)]];
  rows.push(['payments', config.stripe.secretKey ? 'Stripe' : 'local test mode: no money moves']);
  rows.push([
    'mail',
    config.mail.url
      ? 'sent through MAIL_URL'
      : `kept in the outbox: ${config.publicUrl}/coach/outbox`,
  ]);
  rows.push(['data', dataLine(facts)]);
  const head = `Mend is running on ${config.publicUrl}`;
  if (!pretty) return [head, ...rows.map(([k, v]) => `${k}: ${v}`)];
  return [head, ...rows.map(([k, v]) => `  ${k.padEnd(9)} ${v}`), 'Ctrl-C stops it.'];
}
