import { findBlock } from '../../../core/render/claude-block.js';
import { CLAUDE_MD } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/** Without the block, the agent never loads the glossary and the spine's note on guardrails. */
export const claudeBlockMissing: Check = {
  code: 'claude-block-missing',
  check: (ctx) => {
    if (!ctx.lock.claudeMd || (ctx.claudeMd !== undefined && findBlock(ctx.claudeMd))) return [];
    return [
      finding(
        'claude-block-missing',
        'warning',
        'claude-md',
        CLAUDE_MD,
        ctx.claudeMd === undefined
          ? 'CLAUDE.md is missing, and with it the spine block'
          : 'the spine block is missing',
        'run spine doctor --fix to restore it (every other byte of CLAUDE.md is kept)',
      ),
    ];
  },
  fix: () => [{ kind: 'restore-claude-block' }],
};
