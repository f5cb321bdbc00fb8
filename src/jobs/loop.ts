import { Logger } from '@nestjs/common';

/**
 * What one round of a worker loop did: the milliseconds to wait before the next round (0 = at once,
 * because work remains), or null when there was nothing to do (sleep until woken or the poll interval).
 */
export type RoundResult = number | null;
export type Round = () => Promise<RoundResult>;

const MAX_ERROR_BACKOFF_MS = 30_000;

/**
 * A worker loop: runs rounds back to back while work remains, sleeps when idle, and wakes at once
 * when told that work arrived (a NOTIFY from any instance). A failing round (e.g. the database
 * restarting) is logged and retried with a growing pause; it never ends the loop or the process.
 */
export class WorkerLoop {
  private stopping = false;
  private woken = false;
  private wakeSleeper: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly round: Round,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** Work may be waiting: run a round now (or right after the current one). */
  wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  /** Stops taking work and waits for the current round (and what it started) to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleeper?.();
    await this.running;
  }

  private async run(): Promise<void> {
    let errorBackoff = 500;
    while (!this.stopping) {
      this.woken = false;
      let wait: number;
      try {
        const next = await this.round();
        errorBackoff = 500;
        wait = next ?? this.pollMs;
      } catch (e) {
        this.logger.warn(
          { loop: this.name, error: e instanceof Error ? e.message : String(e) },
          'worker round failed; retrying',
        );
        wait = errorBackoff;
        errorBackoff = Math.min(errorBackoff * 2, MAX_ERROR_BACKOFF_MS);
      }
      if (wait > 0 && !this.stopping && !this.woken) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function eachBounded<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
