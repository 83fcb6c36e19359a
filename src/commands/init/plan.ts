import { isMarkedCopy } from '../../core/extract/provenance.js';
import { EXECUTABLE_MODE, modeFor } from '../../core/file-mode.js';
import { contentHash } from '../../core/hash.js';
import {
  buildLock,
  type Lock,
  type LockedFile,
  type LockSource,
  serialiseLock,
} from '../../core/lock/lock.js';
import type { FileChange } from '../../core/plan.js';
import { findBlock, withBlock } from '../../core/render/claude-block.js';
import {
  CLAUDE_MD,
  type DesiredState,
  LOCAL_FILE,
  LOCK_FILE,
  type ManagedFile,
  SETTINGS_FILE,
} from '../../core/render/desired-state.js';
import { managedFileLabel } from '../../core/render/file-label.js';
import { mergeSettings } from '../../core/settings/merge-settings.js';

export interface InitPlanInput {
  desired: DesiredState;
  /** Current bytes of every path the desired state touches (undefined = missing). */
  existing: Map<string, Buffer | undefined>;
  /** Which of the existing desired files have an x bit now. */
  executable: Set<string>;
  settingsText?: string;
  claudeMd?: string;
  gitignore?: string;
  localExists: boolean;
  localSeed: string;
  claudeSeed: string;
  previousLock?: Lock;
  /** The launch directories' settings changes and their lock record (launch-dir-plan.ts). */
  launchDirs?: { changes: FileChange[]; record: Lock['launchDirs'] };
  tool: string;
  source: LockSource;
  spine: { name: string; version: string };
}

export interface InitPlan {
  changes: FileChange[];
  /** Managed paths that exist with other content and are not spine's yet: init will not clobber them. */
  collisions: string[];
  lock: Lock;
}

/** Pure: what init writes, given the desired state and the repo as it is. */
export function planInit(input: InitPlanInput): InitPlan {
  const { desired, existing, previousLock } = input;
  const changes: FileChange[] = [];
  const collisions: string[] = [];

  for (const file of desired.files) {
    const current = existing.get(file.path);
    const mode = file.executable ? EXECUTABLE_MODE : undefined;
    if (current === undefined) {
      changes.push({
        path: file.path,
        action: 'create',
        content: file.content,
        ...(mode ? { mode } : {}),
        note: managedFileLabel(file.kind, file.owner),
      });
    } else if (contentHash(current) !== contentHash(file.content) && !previousLock?.files[file.path]) {
      // The team's own file, extracted into the spine: identical but for the provenance mark.
      if (isMarkedCopy(file.content.toString('utf8'), current.toString('utf8'))) {
        changes.push({
          path: file.path,
          action: 'update',
          content: file.content,
          mode: modeFor(Boolean(file.executable)),
          note: `${managedFileLabel(file.kind, file.owner)} adopted (contributed-by mark added)`,
        });
      } else collisions.push(file.path);
    } else if (contentHash(current) === contentHash(file.content)) {
      const fix = adoptedMode(file, input.executable.has(file.path), previousLock?.files[file.path]);
      if (fix !== undefined) {
        changes.push({
          path: file.path,
          action: 'update',
          content: current,
          mode: fix,
          note: `${managedFileLabel(file.kind, file.owner)}: ${fix === EXECUTABLE_MODE ? 'made executable' : 'x bit removed'}`,
        });
      }
    }
    // Byte-identical content is adopted as it is: recorded in the lock, its mode set to the spine's.
    // An edited file that the lock already owns is drift for doctor, not init's to overwrite.
  }

  const merged = mergeSettings(input.settingsText, desired.settings);
  if (input.settingsText === undefined || merged.added.length > 0) {
    changes.push({
      path: SETTINGS_FILE,
      action: input.settingsText === undefined ? 'create' : 'update',
      content: Buffer.from(merged.text),
      note: `${merged.added.length} spine entries${merged.present.size ? `, ${merged.present.size} already present` : ''}`,
    });
  }

  const block = input.claudeMd === undefined ? undefined : findBlock(input.claudeMd);
  if (input.claudeMd === undefined || !block || (block.body !== desired.claudeBlock && !previousLock)) {
    changes.push({
      path: CLAUDE_MD,
      action: input.claudeMd === undefined ? 'create' : 'update',
      content: Buffer.from(withBlock(input.claudeMd, desired.claudeBlock, input.claudeSeed)),
      note: input.claudeMd === undefined ? 'seeded, team-owned' : 'spine block added, every other byte kept',
    });
  }

  if (!input.localExists) {
    changes.push({
      path: LOCAL_FILE,
      action: 'create',
      content: Buffer.from(input.localSeed),
      note: 'seeded, team-owned',
    });
  }

  const gitignore = withGitignoreLines(input.gitignore, desired.gitignore);
  if (gitignore !== undefined && gitignore !== input.gitignore) {
    changes.push({
      path: '.gitignore',
      action: input.gitignore === undefined ? 'create' : 'update',
      content: Buffer.from(gitignore),
      note: `ignore ${desired.gitignore.join(', ')}`,
    });
  }

  const lock = buildLock({
    tool: input.tool,
    source: input.source,
    spine: input.spine,
    desired,
    previous: previousLock,
    presentBefore: merged.present,
    launchDirs: input.launchDirs?.record,
  });
  changes.push(...(input.launchDirs?.changes ?? []));
  const lockText = serialiseLock(lock);
  const currentLock = existing.get(LOCK_FILE)?.toString('utf8');
  if (currentLock !== lockText) {
    changes.push({
      path: LOCK_FILE,
      action: currentLock === undefined ? 'create' : 'update',
      content: Buffer.from(lockText),
      note: 'what spine wrote',
    });
  }
  return { changes, collisions, lock };
}

/**
 * The mode init gives a file whose bytes are already the spine's, or undefined to leave it. A file
 * not yet in the lock takes the spine's mode. One the lock owns keeps its mode (a change is drift
 * for doctor), except a script whose lock entry records no mode: a version of spine before modes
 * were recorded wrote it without its x bit, so that was never the team's choice.
 */
function adoptedMode(
  file: ManagedFile,
  executable: boolean,
  locked: LockedFile | undefined,
): number | undefined {
  const wanted = Boolean(file.executable);
  if (executable === wanted) return undefined;
  if (!locked) return modeFor(wanted);
  return wanted && locked.mode === undefined ? EXECUTABLE_MODE : undefined;
}

function withGitignoreLines(text: string | undefined, lines: string[]): string | undefined {
  const present = new Set((text ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter(
    (l) => !present.has(l) && !present.has(`/${l}`) && !present.has(l.replace(/\/$/, '')),
  );
  if (missing.length === 0) return text;
  const eol = text?.includes('\r\n') ? '\r\n' : '\n';
  const base = text === undefined || text === '' ? '' : text.endsWith('\n') ? text : text + eol;
  return `${base}${['# spine: runtime audit log', ...missing].join(eol)}${eol}`;
}
