import {
  CLAUDE_MD,
  LOCAL_FILE,
  LOCAL_SETTINGS_FILE,
  LOCK_FILE,
  SETTINGS_FILE,
} from '../core/render/desired-state.js';
import { readInRepo } from '../io/transaction/index.js';

/** The raw bytes of the team files spine reads, read once. */
export interface TeamFiles {
  root: string;
  settings?: Buffer;
  localSettings?: Buffer;
  claudeMd?: Buffer;
  gitignore?: Buffer;
  local?: Buffer;
  lock?: Buffer;
}

export function readTeamFiles(root: string): TeamFiles {
  const read = (path: string) => readInRepo(root, path);
  return {
    root,
    settings: read(SETTINGS_FILE),
    localSettings: read(LOCAL_SETTINGS_FILE),
    claudeMd: read(CLAUDE_MD),
    gitignore: read('.gitignore'),
    local: read(LOCAL_FILE),
    lock: read(LOCK_FILE),
  };
}
