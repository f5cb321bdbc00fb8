import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';
import { JOBS_OPTIONS, JobsOptions } from './jobs.options';

type Handler<T> = (data: T) => Promise<void>;

interface Registration {
  handler: Handler<never>;
  retryLimit: number;
  retryDelay: number;
}

/**
 * The PostgreSQL-backed job queue (pg-boss 10: the newest major that runs on Node 20). A job is
 * fetched by one worker at a time (SKIP LOCKED), so it runs once however many instances run.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly registrations = new Map<string, Registration>();
  private readonly schedules: { queue: string; cron: string }[] = [];
  private boss: PgBoss | null = null;

  constructor(@Inject(JOBS_OPTIONS) private readonly options: JobsOptions) {}

  /** Declares a queue and its handler; workers start when the app has booted. */
  register<T>(queue: string, handler: Handler<T>, opts: { retryLimit?: number; retryDelay?: number } = {}): void {
    this.registrations.set(queue, {
      handler: handler as Handler<never>,
      retryLimit: opts.retryLimit ?? 5,
      retryDelay: opts.retryDelay ?? 10,
    });
  }

  /** Runs `queue` on a cron schedule (UTC), once per tick across all instances. */
  schedule(queue: string, cron: string): void {
    this.schedules.push({ queue, cron });
  }

  async onApplicationBootstrap(): Promise<void> {
    const boss = new PgBoss({
      connectionString: this.options.connectionString,
      max: 4,
      schedule: this.options.workers,
      supervise: this.options.workers,
      application_name: 'mend-jobs',
    });
    boss.on('error', (err: Error) => this.logger.error({ err: { message: err.message } }, 'job queue error'));
    await boss.start();
    this.boss = boss;
    for (const [queue, reg] of this.registrations) {
      await boss.createQueue(queue, { name: queue, retryLimit: reg.retryLimit, retryDelay: reg.retryDelay, retryBackoff: true });
    }
    if (!this.options.workers) return;
    for (const [queue, reg] of this.registrations) {
      await boss.work<never>(queue, { pollingIntervalSeconds: this.options.pollingIntervalSeconds, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await reg.handler(job.data);
      });
    }
    for (const s of this.schedules) await boss.schedule(s.queue, s.cron, {}, { tz: 'UTC' });
  }

  async onApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    if (boss) await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /** Sends a job after the current transaction commits (and only if it does). */
  async sendInTransaction(manager: EntityManager, queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<void> {
    const boss = this.requireBoss();
    await boss.send(queue, data, {
      ...options,
      db: {
        executeSql: async (text: string, values: unknown[]) => ({ rows: await manager.query(text, values) }),
      },
    });
  }

  async send(queue: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
    return this.requireBoss().send(queue, data, options);
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('The job queue is not started');
    return this.boss;
  }
}
