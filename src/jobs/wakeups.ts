import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { listenForWakeups } from './jobs.repository';

export { WAKE_CHANNEL } from './jobs.repository';
/**
 * Each instance's LISTEN connection is named `mend-worker:<workerId>`. While that connection is
 * open, the instance is alive: work it claimed is its own. When the process dies, PostgreSQL drops
 * the connection, and anything it had claimed can be taken over at once (see the mail outbox).
 */
export const WORKER_APP_PREFIX = 'mend-worker:';

/**
 * One dedicated connection per instance that LISTENs for wake-ups, reconnecting forever (with a
 * growing pause) when the database drops it. After a reconnect every loop is woken, since
 * notifications sent meanwhile are lost.
 */
export class Wakeups {
  private client: Client | null = null;
  private stopped = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly workerId: string,
    private readonly onWake: (loop: string | null) => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.connectionString,
      application_name: WORKER_APP_PREFIX + this.workerId,
    });
    let lost = false;
    const onLost = (e?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(
        { error: e?.message ?? 'connection ended' },
        'job wake-up connection lost; reconnecting',
      );
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n) => this.onWake(n.payload || null));
    try {
      await client.connect();
      await listenForWakeups(client);
    } catch (e) {
      onLost(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 250;
    this.onWake(null); // anything sent while we were not listening
  }

  private scheduleReconnect(): void {
    if (this.timer || this.stopped) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, wait);
  }
}
