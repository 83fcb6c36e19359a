import { defineCommand, nonEmpty } from '../../cli-define.js';

export interface DocsFlags {
  search?: string;
}

export const docsCommand = defineCommand<DocsFlags>({
  name: 'docs',
  description: 'read the docs that ship with spine: a topic, the list of topics, or a search',
  arguments: [{ syntax: '[topic]' }],
  flags: [
    { flags: '--search <text>', description: 'the lines of the docs (or of the topic) that mention <text>' },
  ],
  examples: [
    'spine docs',
    'spine docs doctor',
    'spine docs --search managed-settings',
    'spine docs update | less',
  ],
  run: async ({ out, flags: f, args }) => {
    const { runDocs } = await import('./index.js');
    runDocs({ topic: nonEmpty(args[0], 'the docs topic'), search: f.search }, out);
  },
});
