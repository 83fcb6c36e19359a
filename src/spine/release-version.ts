import { type Problem, problem } from '../core/problems.js';
import { parseYaml } from './yaml-file.js';

const RELEASE_TAG = /^v(\d+\.\d+\.\d+)$/;

/** The version a release tag `vX.Y.Z` names, or undefined when the ref is not a release tag. */
export function tagVersion(ref: string | undefined): string | undefined {
  return ref ? RELEASE_TAG.exec(ref)?.[1] : undefined;
}

/** The `version` field of a spine.yaml text with its position; undefined when there is none. */
export function manifestVersion(
  file: string,
  text: string,
): { version: string; line: number; column: number } | undefined {
  const parsed = parseYaml(file, text);
  const value = parsed.value as { version?: unknown } | undefined;
  if (!value || typeof value !== 'object' || typeof value.version !== 'string') return undefined;
  return { version: value.version, ...parsed.locate(['version']) };
}

/**
 * A release tag and the spine.yaml it holds must name one version: a lock records the file's
 * number while fleet lag and "update available" count tags, so a disagreement miscounts both.
 * `file` is how the problem names the file at that tag (e.g. `v2.0.0:spine.yaml`).
 */
export function releaseVersionProblem(tag: string, file: string, text: string): Problem | undefined {
  const expected = tagVersion(tag);
  const found = manifestVersion(file, text);
  if (!expected || !found || found.version === expected) return undefined;
  return problem(
    'release-version',
    `release tag ${tag} holds spine.yaml version ${found.version}: retag that commit as v${found.version}, or set version: ${expected} and tag the commit that has it`,
    { file, line: found.line, column: found.column },
  );
}
