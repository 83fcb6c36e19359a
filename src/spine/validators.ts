import { pathToFileURL } from 'node:url';
import type { SchemaError } from '../core/schema-errors.js';
import { packagePath } from '../io/package-files.js';

export interface Validator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

export type SchemaName =
  | 'spine'
  | 'permissions'
  | 'secrets'
  | 'network'
  | 'toolchains'
  | 'audit'
  | 'glossary'
  | 'champions'
  | 'local'
  | 'lock'
  | 'facts'
  | 'report'
  | 'claude-settings'
  /** The same schema without additionalProperties: false: what decides if the client keeps a file. */
  | 'claude-settings-tolerant';

const cache = new Map<SchemaName, Validator>();

/**
 * Validators are compiled ahead of time by scripts/build-validators.mjs (into the package's
 * generated/), so loading one costs an import, not a compile.
 */
export async function loadValidator(name: SchemaName): Promise<Validator> {
  let validator = cache.get(name);
  if (!validator) {
    const url = pathToFileURL(packagePath(`generated/validators/${name}.js`));
    validator = (await import(url.href)).default as Validator;
    cache.set(name, validator);
  }
  return validator;
}
