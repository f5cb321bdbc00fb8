// A module owns its tables: no module imports another module's entity or repository, and
// src/common (shared pieces) imports no feature module. Entities may name other entities for
// TypeORM relations, and src/database/entities.ts lists them all; src/database's own
// repositories hold no module's table, so any module may use them. ALLOWED below names the
// exceptions that remain, so that the rule stops new ones while those are worked off.
import { dirname, relative, resolve, sep } from 'node:path';

const FEATURE_FREE = new Set(['common', 'config']);

/** Remaining exceptions: [importing module, imported file relative to src]. */
const ALLOWED = [
  // The signed-in person: every module's guards and controllers receive the accounts module's User.
  ['*', 'accounts/user.entity'],
];

function moduleOf(root, file) {
  const rel = relative(root, file);
  if (rel.startsWith('..')) return null;
  return rel.split(sep)[0];
}

export default {
  meta: {
    type: 'problem',
    docs: {
      description:
        "Forbid imports of another module's entities or repositories, and of features from common/",
    },
    schema: [],
    messages: {
      foreignTable:
        "{{from}} must not import {{target}}: ask the {{owner}} module's exported service or a port instead.",
      commonFeature:
        'src/{{from}} holds shared pieces and must not import the {{owner}} feature ({{target}}).',
    },
  },
  create(context) {
    const file = context.filename;
    const ROOT = resolve(context.cwd, 'src');
    const from = moduleOf(ROOT, file);
    if (!from || !file.endsWith('.ts') || file.endsWith('.spec.ts')) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      const owner = moduleOf(ROOT, target);
      if (!owner || owner === from) return;
      const targetRel = relative(ROOT, target).split(sep).join('/');
      if (
        FEATURE_FREE.has(from) &&
        !FEATURE_FREE.has(owner) &&
        owner !== 'logging' &&
        owner !== 'database'
      ) {
        context.report({
          node,
          messageId: 'commonFeature',
          data: { from, owner, target: targetRel },
        });
        return;
      }
      const isTable = /\.(entity|repository)$/.test(targetRel);
      if (!isTable) return;
      // src/database's repositories own no module's table: the cluster's own statements and the
      // runner every repository uses for the statements it wrote (statements.repository).
      if (owner === 'database') return;
      if (from === 'database') return; // entities.ts lists every entity for the DataSource
      if (file.endsWith('.entity.ts') && targetRel.endsWith('.entity')) return; // TypeORM relations
      if (ALLOWED.some(([m, t]) => (m === '*' || m === from) && t === targetRel)) return;
      context.report({
        node,
        messageId: 'foreignTable',
        data: { from: `src/${from}`, owner, target: targetRel },
      });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
    };
  },
};
