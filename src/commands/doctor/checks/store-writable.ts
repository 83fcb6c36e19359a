import { exposedStores } from '../../../core/sandbox/store-exposure.js';
import { type Check, finding } from '../check.js';
import { sandboxWriteLists } from './sandbox-write-lists.js';

/** Where the stores are when no XDG variable moves them: what spine-stores-read-only denies. */
const DEFAULT_PLACES: Record<string, string> = { cache: '.cache/spine', state: '.local/state/spine' };

/**
 * spine's cache or state directory where the sandbox lets the agent write: the rendered denials
 * name only the default places (~/.cache/spine, ~/.local/state/spine), so an XDG_CACHE_HOME under
 * /tmp (writable through sandbox-temp-files) or inside the project is open to a forged memo entry,
 * a moved tag in a cached clone or a planted seal. Not fixable by --fix: it is the person's env.
 */
export const storeWritable: Check = {
  code: 'store-writable',
  check: (ctx) => {
    if (!ctx.machine || ctx.machine.stores.length === 0) return [];
    const lists = sandboxWriteLists(ctx.effective);
    if (!lists) return [];
    return exposedStores({
      stores: ctx.machine.stores,
      ...lists,
      home: ctx.machine.home,
      projectDir: ctx.root,
    }).map(({ store, allowedBy }) =>
      finding(
        'store-writable',
        'error',
        'sandbox',
        allowedBy?.file ?? '.claude/settings.json',
        `spine's ${store.name} directory ${store.dir} is writable from the sandbox (${
          allowedBy
            ? `sandbox.filesystem.allowWrite "${allowedBy.entry}" in ${allowedBy.file}`
            : 'it lies inside the project'
        }) and under no denyWrite: an agent could forge what spine trusts there`,
        store.dir === `${ctx.machine!.home.replace(/\/+$/, '')}/${DEFAULT_PLACES[store.name]}`
          ? `spine update to a spine with the spine-stores-read-only guardrail (it denies writes to ~/.cache/spine and ~/.local/state/spine), or add "//${store.dir.replace(/^\/+/, '')}" to sandbox.filesystem.denyWrite in .claude/settings.local.json`
          : `point ${store.variable} at a directory the sandbox does not open (unset it for the default under your home), or add "//${store.dir.replace(/^\/+/, '')}" to sandbox.filesystem.denyWrite in .claude/settings.local.json; doctor --fix cannot change your environment`,
      ),
    );
  },
};
