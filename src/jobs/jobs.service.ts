import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';
import { JOBS_OPTIONS, JOBS_POOL_SIZE, JobsOptions } from './jobs.options';
import { eachBounded, Round, WorkerLoop } from './loop';
import { JobsRepository } from './jobs.repository';
import { Wakeups } from './wakeups';

type Handler<T> = (data: T) => Promise<void>;

interface Registration {
  handler: Handler<never>;
  retryLimit: number;
  retryDelay: number;
  batchSize: number;
  concurrency: number;
}

export interface QueueOptions {
  retryLimit?: number;
  /** Seconds before the first retry; doubles with each retry. */
  retryDelay?: number;
  /** Jobs fetched per round (a full batch fetches again at once). */
  batchSize?: number;
  /** Jobs of this queue running at once in this instance. */
  concurrency?: number;
}

/** At most one cross-instance wake-up (NOTIFY) per loop and instance in this time, by `nudge`. */
const NUDGE_MS = 50;

/** A job that runs longer than this is considered lost (its instance died) and is retried. */
const JOB_EXPIRE_SECONDS = 5 * 60;

/**
 * Background work. Two kinds of queue share one loop design (WorkerLoop): pg-boss queues (jobs
 * fetched in batches with SKIP LOCKED, run with a bounded concurrency, fetched again at once while
 * a batch comes back full) and loops that drain a table of their own (the mail outbox). Loops sleep
 * when idle and are woken at once by a NOTIFY sent in the transaction that made the work, from any
 * instance; the poll interval only catches retries coming due and lost notifications.
 */
@Injectable()
export class JobsService
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(JobsService.name);
  private readonly registrations = new Map<string, Registration>();
  private readonly customRounds = new Map<string, Round>();
  private readonly schedules: { queue: string; cron: string }[] = [];
  private readonly loops = new Map<string, WorkerLoop>();
  private boss: PgBoss | null = null;
  private wakeups: Wakeups | null = null;
  /** nudge(): when each loop was last notified, and the trailing NOTIFY scheduled (if any). */
  private readonly nudges = new Map<string, { at: number; timer: NodeJS.Timeout | null }>();
  /** This instance's id; its LISTEN connection carries it (see WORKER_APP_PREFIX). */
  readonly workerId = randomUUID();

  constructor(
    @Inject(JOBS_OPTIONS) private readonly options: JobsOptions,
    private readonly sql: JobsRepository,
  ) {}

  get workersEnabled(): boolean {
    return this.options.workers;
  }

  /** Declares a queue and its handler; workers start when the app has booted. */
  register<T>(queue: string, handler: Handler<T>, opts: QueueOptions = {}): void {
    this.registrations.set(queue, {
      handler: handler as Handler<never>,
      retryLimit: opts.retryLimit ?? 5,
      retryDelay: opts.retryDelay ?? 10,
      batchSize: opts.batchSize ?? 10,
      concurrency: opts.concurrency ?? 4,
    });
  }

  /**
   * Declares a loop that drains work kept in a table of its own: `round` claims and starts what it
   * can and says when to run again. Woken by `wakeInTransaction(manager, name)` from any instance.
   */
  registerLoop(name: string, round: Round): void {
    this.customRounds.set(name, round);
  }

  /** Runs `queue` on a cron schedule (UTC), once per tick across all instances. */
  schedule(queue: string, cron: string): void {
    this.schedules.push({ queue, cron });
  }

  async onApplicationBootstrap(): Promise<void> {
    const boss = new PgBoss({
      connectionString: this.options.connectionString,
      max: JOBS_POOL_SIZE,
      schedule: this.options.workers,
      supervise: this.options.workers,
      application_name: 'mend-jobs',
    });
    boss.on('error', (err: Error) =>
      this.logger.error({ err: { message: err.message } }, 'job queue error'),
    );
    await boss.start();
    this.boss = boss;
    for (const [queue, reg] of this.registrations) {
      const settings = {
        name: queue,
        retryLimit: reg.retryLimit,
        retryDelay: reg.retryDelay,
        retryBackoff: true,
        expireInSeconds: JOB_EXPIRE_SECONDS,
      };
      await boss.createQueue(queue, settings);
      await boss.updateQueue(queue, settings); // createQueue leaves an existing queue's settings alone
    }
    if (!this.options.workers) return;
    const pollMs = this.options.pollingIntervalSeconds * 1000;
    for (const [queue, reg] of this.registrations) {
      this.loops.set(
        queue,
        new WorkerLoop(queue, () => this.queueRound(boss, queue, reg), pollMs, this.logger),
      );
    }
    for (const [name, round] of this.customRounds)
      this.loops.set(name, new WorkerLoop(name, round, pollMs, this.logger));
    this.wakeups = new Wakeups(
      this.options.connectionString,
      this.workerId,
      (name) => this.wake(name),
      this.logger,
    );
    await this.wakeups.start();
    for (const loop of this.loops.values()) loop.start();
    for (const s of this.schedules) await boss.schedule(s.queue, s.cron, {}, { tz: 'UTC' });
  }

  /** Before any connection closes: stop taking work and let the rounds in progress finish. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stopLoops();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopLoops();
    const boss = this.boss;
    this.boss = null;
    await this.wakeups?.stop();
    if (boss) await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /** Stops taking work and lets the rounds in progress finish (bounded); safe to call twice. */
  async stopLoops(): Promise<void> {
    for (const state of this.nudges.values()) if (state.timer) clearTimeout(state.timer);
    this.nudges.clear();
    const loops = [...this.loops.values()];
    this.loops.clear();
    await Promise.race([
      Promise.all(loops.map((l) => l.stop())),
      new Promise((r) => setTimeout(r, 10_000).unref()),
    ]);
  }

  /** Sends a job after the current transaction commits (and only if it does), and wakes its workers then. */
  async sendInTransaction(
    manager: EntityManager,
    queue: string,
    data: object,
    options: PgBoss.SendOptions = {},
  ): Promise<void> {
    const boss = this.requireBoss();
    await boss.send(queue, data, {
      ...options,
      db: {
        executeSql: async (text: string, values: unknown[]) => ({
          rows: await this.sql.execute(manager, text, values),
        }),
      },
    });
    if (!options.startAfter) await this.wakeInTransaction(manager, queue);
  }

  async send(
    queue: string,
    data: object,
    options: PgBoss.SendOptions = {},
  ): Promise<string | null> {
    const id = await this.requireBoss().send(queue, data, options);
    if (!options.startAfter) this.wake(queue);
    return id;
  }

  /** Wakes the loop `name` on every instance when the transaction commits (NOTIFY is transactional). */
  async wakeInTransaction(manager: EntityManager, name: string): Promise<void> {
    await this.sql.notify(manager, name);
  }

  /**
   * After a commit that made work for `name` (outside the transaction): wakes the local loop at
   * once and the other instances' by a NOTIFY, coalesced to at most one per NUDGE_MS (the last
   * nudge of a burst is always followed by one). A NOTIFY inside every transaction would
   * serialise the commits (PostgreSQL takes a database-wide lock for it until the commit is
   * flushed); this way a burst of bookings commits in groups. Missed wake-ups are caught by polls.
   */
  nudge(name: string): void {
    this.wake(name);
    const state = this.nudges.get(name) ?? { at: 0, timer: null };
    this.nudges.set(name, state);
    if (state.timer) return; // a NOTIFY is already due
    const wait = state.at + NUDGE_MS - Date.now();
    const send = () => {
      state.timer = null;
      state.at = Date.now();
      this.sql.notifyNow(name).catch((e: unknown) => {
        this.logger.warn(
          { loop: name, error: e instanceof Error ? e.message : String(e) },
          'could not send a wake-up; the poll will pick the work up',
        );
      });
    };
    if (wait <= 0) send();
    else {
      state.timer = setTimeout(send, wait);
      state.timer.unref();
    }
  }

  /** Wakes a local loop (null: all of them). */
  wake(name: string | null): void {
    if (name === null) for (const loop of this.loops.values()) loop.wake();
    else this.loops.get(name)?.wake();
  }

  /** One round of a pg-boss queue: a batch, run with bounded concurrency, each job completed or failed on its own. */
  private async queueRound(boss: PgBoss, queue: string, reg: Registration): Promise<number | null> {
    const jobs = await boss.fetch<never>(queue, { batchSize: reg.batchSize });
    if (!jobs.length) return null;
    const done: string[] = [];
    await eachBounded(jobs, reg.concurrency, async (job) => {
      try {
        await reg.handler(job.data);
        done.push(job.id);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.logger.warn(
          { queue, jobId: job.id, error: message.slice(0, 300) },
          'job failed; it will be retried',
        );
        await boss.fail(queue, job.id, { message: message.slice(0, 500) });
      }
    });
    if (done.length) await boss.complete(queue, done);
    return jobs.length === reg.batchSize ? 0 : null;
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('The job queue is not started');
    return this.boss;
  }
}
