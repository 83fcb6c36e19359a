import {
  findNodeAtLocation,
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { type Problem, problem } from '../problems.js';
import {
  bestBranchErrors,
  describeSchemaError,
  pointerToPath,
  type SchemaError,
  usefulSchemaErrors,
} from '../schema-errors.js';

export interface JsonFile {
  file: string;
  text: string;
  value: Record<string, unknown>;
  tree: Node;
}

/** Strict JSON (as Claude Code reads it: no comments, no trailing commas), with positions. */
export function parseJsonFile(file: string, text: string): { json?: JsonFile; problems: Problem[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text.replace(/^\uFEFF/, ''), errors, {
    disallowComments: true,
    allowTrailingComma: false,
  });
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const pos = first ? lineColumn(text, first.offset) : { line: 1, column: 1 };
    const cause = first ? printParseErrorCode(first.error) : 'empty file';
    return { problems: [problem('json-syntax', `invalid JSON (${cause})`, { file, ...pos })] };
  }
  // JSON.parse (and so the client) keeps the last of two equal keys; an edit could change either
  // one. Spine reads and writes such a file only once a person has removed the duplicate.
  const duplicate = firstDuplicateKey(tree);
  if (duplicate) {
    return {
      problems: [
        problem(
          'json-duplicate-key',
          `duplicate key "${duplicate.key}" (Claude Code keeps the last one): remove one of them`,
          { file, ...lineColumn(text, duplicate.offset) },
        ),
      ],
    };
  }
  const value = getNodeValue(tree);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [problem('json-shape', 'must be a JSON object', { file, line: 1, column: 1 })] };
  }
  return { json: { file, text, value, tree }, problems: [] };
}

/**
 * A text already known to be strict JSON without duplicate keys and with an object at the top
 * (parseJsonFile accepted these bytes before): parsed with JSON.parse, as the client parses it,
 * and its positioned tree built only when a position is asked for.
 */
export function validJsonFile(file: string, text: string): JsonFile {
  let tree: Node | undefined;
  return {
    file,
    text,
    value: JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>,
    get tree() {
      tree ??= parseTree(text.replace(/^\uFEFF/, ''))!;
      return tree;
    },
  };
}

/** The second occurrence of a key within one object, anywhere in the document. */
function firstDuplicateKey(node: Node): { key: string; offset: number } | undefined {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const keyNode = property.children?.[0];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      if (seen.has(key)) return { key, offset: keyNode.offset };
      seen.add(key);
    }
  }
  for (const child of node.children ?? []) {
    const found = firstDuplicateKey(child);
    if (found) return found;
  }
  return undefined;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function locateJson(json: JsonFile, path: (string | number)[]): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(json.tree, path.slice(0, n));
    if (node) return lineColumn(json.text, node.offset);
  }
  return { line: 1, column: 1 };
}

/**
 * Classifies schema errors the way Claude Code 2.1 behaves (reference §1.4, docs/settings-validity.md):
 * `errors` come from the tolerant schema (unknown keys allowed, as the client's zod objects strip
 * them): a malformed permission rule drops that rule alone (warning); anything else makes the
 * client drop the whole file, reported as its one real cause. `unknownKeys` (from the strict
 * schema) are warnings: the client ignores those keys and keeps the file.
 */
export function classifySettingsErrors(
  json: JsonFile,
  errors: SchemaError[],
  unknownKeys: SchemaError[] = [],
): Problem[] {
  const problems: Problem[] = [];
  const at = (error: SchemaError) => ({
    file: json.file,
    ...locateJson(json, pointerToPath(error.instancePath)),
  });
  let dropped: SchemaError | undefined;
  for (const error of usefulSchemaErrors(bestBranchErrors(errors))) {
    const path = pointerToPath(error.instancePath);
    const isRule =
      path.length === 3 && path[0] === 'permissions' && ['allow', 'deny', 'ask'].includes(String(path[1]));
    if (isRule && error.keyword === 'pattern') {
      problems.push(
        problem(
          'settings-rule-dropped',
          `${describeSchemaError(error)}; Claude Code ignores this rule`,
          at(error),
          'warning',
        ),
      );
    } else {
      dropped ??= error;
    }
  }
  if (dropped) {
    problems.push(
      problem(
        'settings-dropped',
        `${describeSchemaError(dropped)} — Claude Code would silently ignore this whole file`,
        at(dropped),
      ),
    );
  }
  for (const error of usefulSchemaErrors(bestBranchErrors(unknownKeys))) {
    if (error.keyword !== 'additionalProperties') continue;
    problems.push(
      problem(
        'settings-unknown-key',
        `${describeUnknownKey(error)}; Claude Code ignores it`,
        at(error),
        'warning',
      ),
    );
  }
  return problems;
}

/**
 * Claude Code 2.1.x strips a leading UTF-8 byte order mark before parsing its JSON files, so a
 * settings file with one is valid to it. Editors work on the text after the BOM and put it back.
 */
export function splitBom(text: string): { bom: string; body: string } {
  return text.startsWith('\uFEFF') ? { bom: '\uFEFF', body: text.slice(1) } : { bom: '', body: text };
}

function describeUnknownKey(error: SchemaError): string {
  if (error.instancePath === '/hooks')
    return `hooks: "${String(error.params.additionalProperty)}" is not a hook event (names are case-sensitive)`;
  return describeSchemaError(error);
}
