export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

export interface JobsOptions {
  connectionString: string;
  /** false → this instance only enqueues (e.g. a web-only replica). */
  workers: boolean;
  /** How often an idle loop looks for work nobody woke it for (retries coming due, a lost NOTIFY). */
  pollingIntervalSeconds: number;
}

/** Connections pg-boss's own pool may open (fetch, complete, fail, maintenance). */
export const JOBS_POOL_SIZE = 4;
