import { isMap, isPair, isScalar, LineCounter, type Node, parse, parseDocument } from 'yaml';
import { type Problem, problem } from '../core/problems.js';
import { describeSchemaError, pointerToPath, usefulSchemaErrors } from '../core/schema-errors.js';
import type { Validator } from './validators.js';

export interface ParsedYaml {
  value: unknown;
  problems: Problem[];
  /** Line and column (1-based) of the node at a JSON path, or of its nearest ancestor. */
  locate(path: (string | number)[]): { line: number; column: number };
}

/**
 * The plain value of a YAML text (no positions, no schema), for a workspace manifest. Loaded
 * lazily through this module rather than `import('yaml')`: yaml is CommonJS, and a bundle's chunk
 * for a dynamic import of a CommonJS package exports only its default, not `parse`.
 */
export function parseYamlText(text: string): unknown {
  return parse(text);
}

/** Parses YAML keeping source positions, then checks it against a schema; never throws. */
export function parseYaml(file: string, text: string, validator?: Validator): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locate = (path: (string | number)[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
      if (node?.range) return at(node.range[0]);
    }
    return { line: 1, column: 1 };
  };
  const problems: Problem[] = [];
  for (const error of [...doc.errors, ...doc.warnings]) {
    problems.push(
      problem('yaml-syntax', error.message.split('\n')[0] ?? error.message, { file, ...at(error.pos[0]) }),
    );
  }
  if (problems.length > 0) return { value: undefined, problems, locate };

  let value: unknown;
  try {
    // yaml refuses a document whose aliases expand past this many nodes (an alias bomb).
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const cause = /alias/i.test((error as Error).message)
      ? 'too many YAML aliases: the document would expand without bound; write the values out'
      : (error as Error).message;
    return {
      value: undefined,
      problems: [problem('yaml-syntax', cause, { file, line: 1, column: 1 })],
      locate,
    };
  }
  if (validator && !validator(value)) {
    for (const error of usefulSchemaErrors(validator.errors ?? [])) {
      const path = pointerToPath(error.instancePath);
      let pos = locate(path);
      if (error.keyword === 'additionalProperties') {
        pos = locateKey(doc.getIn(path, true), String(error.params.additionalProperty), at) ?? pos;
      }
      problems.push(problem('schema', describeSchemaError(error), { file, ...pos }));
    }
  }
  return { value, problems, locate };
}

function locateKey(
  node: unknown,
  key: string,
  at: (offset: number) => { line: number; column: number },
): { line: number; column: number } | undefined {
  const map = node ?? undefined;
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
      return at(item.key.range[0]);
    }
  }
  return undefined;
}
