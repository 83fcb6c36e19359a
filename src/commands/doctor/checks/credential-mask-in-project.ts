import { maskEntries } from '../../../core/client/credential-masks.js';
import {
  CREDENTIAL_MASK_SINCE,
  clientAtLeast,
  clientBelow,
  clientVersion,
} from '../../../core/client/support.js';
import { type Check, finding, locate } from '../check.js';

/**
 * A credential in `mask` mode in a project or local settings file: the file claims the secret is
 * masked, but no client masks it from there. 2.1.332 skips the entry without a word (the real
 * value reaches sandboxed commands, and through them the model); 2.1.197 rejects the value and
 * drops the whole file. Masking belongs in managed settings (`spine export managed-settings`).
 */
export const credentialMaskInProject: Check = {
  code: 'credential-mask-in-project',
  check: (ctx) =>
    ctx.settingsFiles.flatMap((s) =>
      maskEntries(s.json?.value).map((m) => {
        const version = clientVersion(ctx.client);
        const what = m.list === 'envVars' ? `variable ${m.target}` : `file ${m.target}`;
        const effect = clientAtLeast(ctx.client, CREDENTIAL_MASK_SINCE)
          ? `Claude Code ${version} skips it here without a word: sandboxed commands see the real value`
          : clientBelow(ctx.client, CREDENTIAL_MASK_SINCE)
            ? `Claude Code ${version} does not know "mask" and drops this whole file: nothing hides the real value`
            : 'Claude Code honours "mask" only from managed, user or --settings files: the real value is not masked';
        return finding(
          'credential-mask-in-project',
          'error',
          'secrets',
          s.file,
          `sandbox.credentials masks the ${what} in a project file; ${effect}`,
          `use "mode": "deny" here, and ask for the mask in the spine (secrets.yaml credentials) so spine export managed-settings carries it`,
          locate(ctx, s.file, ['sandbox', 'credentials', m.list, m.index, 'mode']),
        );
      }),
    ),
};
