import { contentHash } from '../../../core/hash.js';
import { BLOCK_BEGIN, findBlock } from '../../../core/render/claude-block.js';
import { CLAUDE_MD } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

export const claudeBlockEdited: Check = {
  code: 'claude-block-edited',
  check: (ctx) => {
    const block = ctx.claudeMd === undefined ? undefined : findBlock(ctx.claudeMd);
    if (!ctx.lock.claudeMd || !block || contentHash(block.body) === ctx.lock.claudeMd.hash) return [];
    const line = ctx.claudeMd!.slice(0, ctx.claudeMd!.indexOf(BLOCK_BEGIN)).split('\n').length;
    return [
      finding(
        'claude-block-edited',
        'warning',
        'claude-md',
        CLAUDE_MD,
        'the spine block was edited; spine owns it (team notes belong outside the markers)',
        'move your notes outside the block, then run spine doctor --fix to restore it',
        { line },
      ),
    ];
  },
  fix: () => [{ kind: 'restore-claude-block' }],
};
