// Lints an OpenAPI document (a JSON file) with Redocly's recommended rules.
// Usage: node scripts/lint-openapi.mjs openapi.json → prints one JSON report; exit 1 on any error.
import { readFileSync } from 'node:fs';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/lint-openapi.mjs <openapi.json>');
  process.exit(2);
}
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
const report = problems.map((p) => ({
  severity: p.severity,
  rule: p.ruleId,
  message: p.message,
  where: p.location?.[0]?.pointer ?? '',
}));
console.log(JSON.stringify(report));
process.exit(report.some((p) => p.severity === 'error') ? 1 : 0);
