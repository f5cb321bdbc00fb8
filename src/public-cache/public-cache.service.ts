import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { PublicCacheRepository } from './public-cache.repository';
import { CachedPage, PageStore, etagFor } from './public-cache.rules';

/**
 * Anonymous public pages rendered once and served from this process's memory, for as long as the
 * public content version in PostgreSQL stays the same.
 *
 * The version is read at most every `PUBLIC_CACHE_CHECK_MS` (one primary-key read of one row), and
 * right after any state-changing request this instance served (so its own writes show at once).
 * Every instance reads the same row, so a change made through any instance (or a job) reaches all
 * of them within that interval.
 *
 * What bumps the version: triggers on posts (any change but the lazily re-rendered HTML), approved
 * comments, ratings, session types and the site's settings. Anything else that public pages show must call
 * `bump(reason)` (in its transaction, when it has one).
 */
@Injectable()
export class PublicCache {
  private readonly logger = new Logger(PublicCache.name);
  private readonly pages = new PageStore({
    maxEntries: 2000,
    maxBytes: 16 * 1024 * 1024,
    maxAgeMs: 10 * 60_000,
  });
  private version: number | null = null;
  private checkedAt = 0;
  /** Incremented whenever the version may have moved; a read started before it can't vouch for after. */
  private generation = 0;
  private checkedGeneration = -1;
  private inFlight: { generation: number; promise: Promise<number> } | null = null;
  private readonly versionListeners: (() => void)[] = [];

  constructor(
    private readonly repository: PublicCacheRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Marks every cached public page out of date on every instance. Call it (with the transaction's
   * manager, if any) whenever something a public page shows changes and no trigger covers it —
   * e.g. the site's settings.
   */
  async bump(reason: string, manager?: EntityManager): Promise<void> {
    await this.repository.bump(manager);
    this.logger.debug(`public pages out of date: ${reason}`);
    this.markDirty();
  }

  /**
   * Runs `listener` whenever this instance learns that the version moved (before it renders
   * again): a module that keeps its own short-lived copy of something public pages show (the
   * site's settings) drops it here, so a fresh render never uses a stale copy.
   */
  onVersionChange(listener: () => void): void {
    this.versionListeners.push(listener);
  }

  /** Something may have changed (a write request just finished): re-read the version before the next hit. */
  markDirty(): void {
    this.generation++;
  }

  /** The current version when known without a database read, else null. */
  freshVersion(now = Date.now()): number | null {
    if (this.version === null || this.checkedGeneration !== this.generation) return null;
    return now - this.checkedAt < this.config.publicCache.checkMs ? this.version : null;
  }

  /** Reads the version (one read at a time per generation); drops every page of an older one. */
  readVersion(): Promise<number> {
    if (this.inFlight && this.inFlight.generation === this.generation) return this.inFlight.promise;
    const generation = this.generation;
    const startedAt = Date.now();
    const promise = this.repository.currentVersion().then(
      (version) => {
        if (this.version !== version) {
          this.pages.clear();
          if (this.version !== null) for (const listener of this.versionListeners) listener();
        }
        this.version = version;
        if (this.generation === generation) {
          this.checkedAt = startedAt;
          this.checkedGeneration = generation;
        }
        if (this.inFlight?.promise === promise) this.inFlight = null;
        return version;
      },
      (e: unknown) => {
        if (this.inFlight?.promise === promise) this.inFlight = null;
        throw e;
      },
    );
    this.inFlight = { generation, promise };
    return promise;
  }

  lookup(key: string, version: number): CachedPage | null {
    return this.pages.get(key, version, Date.now());
  }

  store(key: string, version: number, body: Buffer, contentType: string): CachedPage {
    const page: CachedPage = {
      version,
      body,
      etag: etagFor(body),
      contentType,
      storedAt: Date.now(),
    };
    // A render that began before a version change must not be kept under the new version.
    if (this.version === version) this.pages.set(key, page);
    return page;
  }

  stats(): { entries: number; bytes: number; version: number | null } {
    return { entries: this.pages.size, bytes: this.pages.totalBytes, version: this.version };
  }
}
