import type { Check } from '../check.js';
import { addEntry } from './locked-rule-missing.js';
import { sandboxEntryFindings, stateText } from './sandbox-weakened.js';

/** `allowUnsandboxedCommands` back on: the agent can run any command outside the sandbox. */
export const sandboxEscapeEnabled: Check = {
  code: 'sandbox-escape-enabled',
  check: (ctx) =>
    sandboxEntryFindings(
      ctx,
      'sandbox-escape-enabled',
      (e) => e.entry.key === 'sandbox.allowUnsandboxedCommands',
      (_, state) =>
        `sandbox.allowUnsandboxedCommands is ${stateText(state)}: the agent can opt a command out of the sandbox (dangerouslyDisableSandbox)`,
      'run spine doctor --fix to restore "allowUnsandboxedCommands": false',
    ),
  fix: (f, ctx) => addEntry(f.entry, ctx),
};
