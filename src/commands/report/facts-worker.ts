// Entry of a `spine report` worker process (forked, one per core): computes the facts of each repo
// it is sent and replies with the small document. Everything it needs arrives over IPC.
import { UserError } from '../../errors.js';
import { type CollectOptions, collectFacts } from '../facts/collect.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

let options: CollectOptions | undefined;

async function handle(id: number, root: string): Promise<WorkerReply> {
  try {
    if (!options) throw new Error('facts worker used before setup');
    const { facts, doctorUnavailable } = await collectFacts(root, options);
    return doctorUnavailable ? { id, kind: 'facts', facts, doctorUnavailable } : { id, kind: 'facts', facts };
  } catch (error) {
    if (error instanceof UserError) {
      const where = error.location?.file;
      return { id, kind: 'unreadable', message: where ? `${where}: ${error.message}` : error.message };
    }
    const e = error instanceof Error ? error : new Error(String(error));
    return { id, kind: 'failed', message: e.message, stack: e.stack };
  }
}

process.on('message', (message: WorkerRequest) => {
  if (message.kind === 'setup') {
    const { setup } = message;
    options = {
      base: setup.base,
      now: new Date(setup.now),
      tool: setup.tool,
      doctor: setup.doctor,
      offline: setup.offline,
    };
    return;
  }
  for (const { id, root } of message.repos) void handle(id, root).then((reply) => process.send?.(reply));
});
