import { defineCommand } from '../../cli-define.js';

export interface FactsFlags {
  offline?: boolean;
}

export const factsCommand = defineCommand<FactsFlags>({
  name: 'facts',
  description: "this team repo's facts for spine report: counts only, never tool input",
  flags: [{ flags: '--offline', description: 'use the cached spine only' }],
  examples: ['spine facts --json > facts.json'],
  run: async ({ base, out, flags: f }) => {
    const { runFacts } = await import('./index.js');
    await runFacts({ ...base, offline: Boolean(f.offline) }, out);
  },
});
