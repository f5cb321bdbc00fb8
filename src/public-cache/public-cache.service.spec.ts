import { AppConfig } from '../config/config';
import { PublicCacheRepository } from './public-cache.repository';
import { PublicCache } from './public-cache.service';

/** A version row whose reads are released by hand, to order them against writes. */
class FakeRepository {
  version = 1;
  reads = 0;
  private pending: (() => void)[] = [];
  currentVersion(): Promise<number> {
    this.reads++;
    const seen = this.version;
    return new Promise((resolve) => this.pending.push(() => resolve(seen)));
  }
  bump(): Promise<number> {
    return Promise.resolve(++this.version);
  }
  release(): void {
    for (const r of this.pending.splice(0)) r();
  }
}

describe('PublicCache', () => {
  const setup = (checkMs = 60_000) => {
    const repo = new FakeRepository();
    const cache = new PublicCache(
      repo as unknown as PublicCacheRepository,
      { publicCache: { checkMs } } as AppConfig,
    );
    return { repo, cache };
  };
  const read = async (repo: FakeRepository, cache: PublicCache) => {
    const p = cache.readVersion();
    repo.release();
    return p;
  };

  it('reads the version once, then trusts it for checkMs; a write makes it read again', async () => {
    const { repo, cache } = setup();
    expect(cache.freshVersion()).toBeNull();
    expect(await read(repo, cache)).toBe(1);
    expect(cache.freshVersion()).toBe(1);
    cache.markDirty();
    expect(cache.freshVersion()).toBeNull();
    await read(repo, cache);
    expect(cache.freshVersion()).toBe(1);
    expect(cache.freshVersion(Date.now() + 60_001)).toBeNull();
  });

  it('reads once for many simultaneous requests', async () => {
    const { repo, cache } = setup();
    const reads = [cache.readVersion(), cache.readVersion(), cache.readVersion()];
    repo.release();
    expect(await Promise.all(reads)).toEqual([1, 1, 1]);
    expect(repo.reads).toBe(1);
  });

  it('does not let a read that began before a write vouch for the time after it', async () => {
    const { repo, cache } = setup();
    const early = cache.readVersion(); // sees version 1
    await cache.bump('a post was edited'); // version 2, committed
    repo.release();
    expect(await early).toBe(1);
    expect(cache.freshVersion()).toBeNull(); // so the next request reads again…
    expect(await read(repo, cache)).toBe(2); // …and sees the write
    expect(cache.freshVersion()).toBe(2);
  });

  it('serves a page only at the version it was rendered at, and drops pages when the version moves', async () => {
    const { repo, cache } = setup();
    await read(repo, cache);
    cache.store('en-GB /blog', 1, Buffer.from('old'), 'text/html');
    expect(cache.lookup('en-GB /blog', 1)?.body.toString()).toBe('old');
    await cache.bump('published');
    await read(repo, cache);
    expect(cache.lookup('en-GB /blog', 2)).toBeNull();
    expect(cache.stats().entries).toBe(0);
    // A render that began at version 1 and finished after the move is not kept.
    cache.store('en-GB /blog', 1, Buffer.from('stale'), 'text/html');
    expect(cache.stats().entries).toBe(0);
  });
});
