// Compiles every JSON Schema to a standalone ajv validator module at build time, so no command
// pays for schema compilation at start-up (the Claude Code settings schema alone takes ~0.5 s).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'generated', 'validators');
const schemas = {
  spine: 'schemas/spine.schema.json',
  permissions: 'schemas/permissions.schema.json',
  secrets: 'schemas/secrets.schema.json',
  network: 'schemas/network.schema.json',
  toolchains: 'schemas/toolchains.schema.json',
  audit: 'schemas/audit.schema.json',
  glossary: 'schemas/glossary.schema.json',
  champions: 'schemas/champions.schema.json',
  local: 'schemas/local.schema.json',
  lock: 'schemas/lock.schema.json',
  facts: 'schemas/facts.schema.json',
  report: 'schemas/report.schema.json',
  'claude-settings': 'schemas/vendor/claude-code-settings.schema.json',
};

const ANNOTATIONS = new Set([
  'description',
  'markdownDescription',
  'title',
  'examples',
  '$comment',
  'deprecationMessage',
]);
const MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependencies']);

// Claude Code judges settings with zod objects that strip unknown keys: an unknown key anywhere
// (plane's `_origin` on a hook) leaves the file in force. The tolerant variant decides whether the
// client keeps a file; the strict one only names unknown keys as warnings. Verified with the real
// client for hook handlers, matcher groups, permissions, the top level and unknown hook event names
// (test/e2e/claude-settings-validity.test.ts, docs/settings-validity.md).
const tolerant = (schema) => {
  if (Array.isArray(schema)) return schema.map(tolerant);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = tolerant(value);
  }
  return out;
};

mkdirSync(outDir, { recursive: true });
const sources = Object.entries(schemas).map(([name, file]) => [
  name,
  JSON.parse(readFileSync(join(root, file), 'utf8')),
]);
sources.push([
  'claude-settings-tolerant',
  tolerant(JSON.parse(readFileSync(join(root, schemas['claude-settings']), 'utf8'))),
]);
for (const [name, schema] of sources) {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    validateFormats: false,
    code: { source: true, esm: true },
  });
  const validate = ajv.compile(withoutAnnotations(schema));
  // ajv's ESM output still require()s its small runtime helpers.
  const prelude =
    "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n";
  writeFileSync(
    join(outDir, `${name}.js`),
    prelude + standaloneCode.default(ajv, validate).replace('"use strict";', ''),
  );
}

// The settings schema's top-level keys, which doctor compares a settings file's keys with: reading
// them from the 232 KB schema at every run cost a parse and its garbage on doctor's path.
const settingsSchema = JSON.parse(readFileSync(join(root, schemas['claude-settings']), 'utf8'));
writeFileSync(
  join(root, 'generated', 'claude-settings-keys.json'),
  `${JSON.stringify([...new Set(['$schema', ...Object.keys(settingsSchema.properties)])])}\n`,
);

// Annotations (descriptions, examples, titles) do not change what validates, but standalone code
// embeds the schema objects it references: dropping them shrinks the Claude Code settings
// validator several times over, and with it every command's start-up.
function withoutAnnotations(schema) {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    if (MAPS.has(key) && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, withoutAnnotations(sub)]),
      );
    } else if (key === 'enum' || key === 'const' || key === 'default' || key === 'required') {
      out[key] = value;
    } else {
      out[key] = withoutAnnotations(value);
    }
  }
  return out;
}
