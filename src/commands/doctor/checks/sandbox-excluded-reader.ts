import { valuesAt } from '../../../core/effective-settings.js';
import type { Finding } from '../../../core/findings.js';
import { type Check, finding, locate } from '../check.js';

/**
 * Programs that can read any file they are given: excluded from the sandbox, they read secret
 * files in the open (`python x.py`, `bash -c`, `cat`), so the sandbox holds for nothing.
 */
const READERS = new Set(
  (
    'sh bash zsh dash fish ksh env xargs sudo exec eval time nice nohup timeout ' +
    'python python2 python3 node deno bun ruby perl php lua java go cargo rustc make npm npx pnpm yarn ' +
    'uv pip pipx poetry gradle mvn dotnet docker podman kubectl ' +
    'cat tac head tail less more nl od xxd hexdump strings base64 base32 sed awk gawk grep egrep rg ag ' +
    'cp mv tar zip unzip rsync scp curl wget nc socat openssl gpg git sqlite3 vim vi nano emacs find jq yq'
  ).split(' '),
);

export function readsFiles(command: string): string | undefined {
  const program =
    command
      .trim()
      .split(/\s+/)[0]
      ?.replace(/[*:].*$/, '')
      .split('/')
      .pop() ?? '';
  if (READERS.has(program)) return program;
  if (/^(?:python|node|ruby|perl|php)[\d.]*$/.test(program)) return program;
  return undefined;
}

/** An `excludedCommands` entry, in either settings file, that runs a file-reading program. */
export const sandboxExcludedReader: Check = {
  code: 'sandbox-excluded-reader',
  check: (ctx) => {
    const sandbox = ctx.entries.find((e) => e.entry.key === 'sandbox.enabled');
    if (!sandbox) return [];
    const level = sandbox.entry.level;
    const findings: Finding[] = [];
    for (const { file, value } of valuesAt(ctx.written, ['sandbox', 'excludedCommands'])) {
      if (!Array.isArray(value)) continue;
      value.forEach((command, index) => {
        const program = typeof command === 'string' ? readsFiles(command) : undefined;
        if (!program) return;
        findings.push(
          finding(
            'sandbox-excluded-reader',
            level === 'locked' ? 'error' : 'warning',
            'sandbox',
            file,
            `sandbox.excludedCommands runs "${command}" outside the sandbox; ${program} can read secret files there (${sandbox.entry.id})`,
            `remove "${command}" from sandbox.excludedCommands; if a tool needs more, allow its paths or domains instead (docs/sandbox.md)`,
            { ...locate(ctx, file, ['sandbox', 'excludedCommands', index]), guardrail: sandbox.entry.id },
          ),
        );
      });
    }
    return findings;
  },
};
