import { socketDirFor } from './embedded-postgres';

describe('socketDirFor (where the embedded PostgreSQL puts its Unix socket)', () => {
  it('uses the data folder when the socket path fits', () => {
    expect(socketDirFor('/tmp/mend-x/postgres/cluster', 54321)).toBe(
      '/tmp/mend-x/postgres/cluster',
    );
  });

  it('gives the absolute folder for a relative one', () => {
    expect(socketDirFor('.data/postgres/cluster', 5432)).toBe(
      `${process.cwd()}/.data/postgres/cluster`,
    );
  });

  it('falls back to TCP only (null) when the path is too long for a socket', () => {
    const deep = `/tmp/${'a'.repeat(90)}/cluster`;
    expect(socketDirFor(deep, 5432)).toBeNull();
    // At the edge: the lock file's path must stay under 100 bytes.
    const dir = `/t/${'b'.repeat(100 - '/t/'.length - '/.s.PGSQL.5432.lock'.length - 1)}`;
    expect(socketDirFor(dir, 5432)).toBe(dir);
    expect(socketDirFor(`${dir}c`, 5432)).toBeNull();
  });

  it('falls back to TCP only when the path has characters the setting would misread', () => {
    for (const odd of [
      '/tmp/a,b/cluster',
      '/tmp/a b/cluster',
      "/tmp/a'b/cluster",
      '/tmp/ü/cluster',
    ])
      expect(socketDirFor(odd, 5432)).toBeNull();
  });
});
