import type { Finding } from '../../core/findings.js';
import type { Check } from './check.js';
import { allowShadowsRule } from './checks/allow-shadows-rule.js';
import { bypassEnabled } from './checks/bypass-enabled.js';
import { claudeBlockEdited } from './checks/claude-block-edited.js';
import { claudeBlockMissing } from './checks/claude-block-missing.js';
import { claudeMdIgnored } from './checks/claude-md-ignored.js';
import { credentialMaskInProject } from './checks/credential-mask-in-project.js';
import { defaultWeakened } from './checks/default-weakened.js';
import { hookEdited } from './checks/hook-edited.js';
import { hookMissing } from './checks/hook-missing.js';
import { hookScriptEdited } from './checks/hook-script-edited.js';
import { hookScriptOutdated } from './checks/hook-script-outdated.js';
import { hooksDisabled } from './checks/hooks-disabled.js';
import { launchDirUnguarded } from './checks/launch-dir-unguarded.js';
import { launchDirWeakened } from './checks/launch-dir-weakened.js';
import { localSettingsTracked } from './checks/local-settings-tracked.js';
import { localSkill } from './checks/local-skill.js';
import { lockCommitMissing } from './checks/lock-commit-missing.js';
import { lockedRuleMissing } from './checks/locked-rule-missing.js';
import { lockedRuleOverridden } from './checks/locked-rule-overridden.js';
import { lockedSettingMissing } from './checks/locked-setting-missing.js';
import { lockedVersionUnavailable } from './checks/locked-version-unavailable.js';
import { managedFileEdited } from './checks/managed-file-edited.js';
import { managedFileMissing } from './checks/managed-file-missing.js';
import { managedFileMode } from './checks/managed-file-mode.js';
import { managedHooksOnly } from './checks/managed-hooks-only.js';
import { neverAllowAllowed } from './checks/never-allow-allowed.js';
import { pendingUpdate } from './checks/pending-update.js';
import { sandboxDisabled } from './checks/sandbox-disabled.js';
import { sandboxDomainAllowed } from './checks/sandbox-domain-allowed.js';
import { sandboxEntryMissing } from './checks/sandbox-entry-missing.js';
import { sandboxEscapeEnabled } from './checks/sandbox-escape-enabled.js';
import { sandboxExcludedReader } from './checks/sandbox-excluded-reader.js';
import { sandboxWritesPath } from './checks/sandbox-writes-path.js';
import { secretNotIgnored } from './checks/secret-not-ignored.js';
import { secretTracked } from './checks/secret-tracked.js';
import { settingsDropped } from './checks/settings-dropped.js';
import { settingsRuleDropped } from './checks/settings-rule-dropped.js';
import { settingsUnknownKey } from './checks/settings-unknown-key.js';
import { skillLinkBroken } from './checks/skill-link-broken.js';
import { storeWritable } from './checks/store-writable.js';
import { tagMoved } from './checks/tag-moved.js';
import { telemetryEnvIgnored } from './checks/telemetry-env-ignored.js';
import { updateAvailable } from './checks/update-available.js';
import { waiverActive } from './checks/waiver-active.js';
import { waiverExpired } from './checks/waiver-expired.js';
import { waiverInvalid } from './checks/waiver-invalid.js';
import { waiverOnLocked } from './checks/waiver-on-locked.js';
import { writeInterrupted } from './checks/write-interrupted.js';
import { zoneMapStale } from './checks/zone-map-stale.js';
import type { DoctorContext } from './context.js';

/** Every doctor check. Adding a check is adding a file and a line here. */
export const CHECKS: readonly Check[] = [
  writeInterrupted,
  settingsDropped,
  secretTracked,
  secretNotIgnored,
  localSettingsTracked,
  settingsUnknownKey,
  settingsRuleDropped,
  lockedRuleMissing,
  lockedRuleOverridden,
  launchDirUnguarded,
  launchDirWeakened,
  allowShadowsRule,
  lockedSettingMissing,
  bypassEnabled,
  neverAllowAllowed,
  sandboxDisabled,
  sandboxEscapeEnabled,
  storeWritable,
  sandboxWritesPath,
  sandboxEntryMissing,
  sandboxExcludedReader,
  sandboxDomainAllowed,
  credentialMaskInProject,
  telemetryEnvIgnored,
  hooksDisabled,
  managedHooksOnly,
  hookMissing,
  hookEdited,
  hookScriptEdited,
  hookScriptOutdated,
  zoneMapStale,
  defaultWeakened,
  waiverActive,
  waiverExpired,
  waiverOnLocked,
  waiverInvalid,
  managedFileEdited,
  managedFileMissing,
  managedFileMode,
  claudeBlockMissing,
  claudeBlockEdited,
  claudeMdIgnored,
  localSkill,
  skillLinkBroken,
  pendingUpdate,
  lockedVersionUnavailable,
  lockCommitMissing,
  tagMoved,
  updateAvailable,
];

export function runChecks(ctx: DoctorContext, checks: readonly Check[] = CHECKS): Finding[] {
  return checks.flatMap((c) => c.check(ctx));
}

export function checkFor(code: string, checks: readonly Check[] = CHECKS): Check | undefined {
  return checks.find((c) => c.code === code);
}
