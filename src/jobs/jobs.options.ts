export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

export interface JobsOptions {
  connectionString: string;
  /** false → this instance only enqueues (e.g. a web-only replica). */
  workers: boolean;
  pollingIntervalSeconds: number;
}
