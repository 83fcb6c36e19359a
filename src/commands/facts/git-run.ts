import { execFile } from 'node:child_process';

const MAX_OUTPUT = 256 * 1024 * 1024;
// Separates the commands' outputs; NUL never appears in `git log` text.
const MARK = '\0spine-git-exit:';
/** Repos whose git commands share one shell at most. */
const MAX_BATCH = 16;

interface Pending {
  cwd: string;
  commands: string[][];
  resolve: (outputs: (string | undefined)[]) => void;
}

let queue: Pending[] = [];

/**
 * Runs git commands in a repo and returns each one's stdout, or undefined where it failed.
 * Starting a process from Node blocks the event loop for longer than a short `git log` runs (a
 * fork of the whole heap), while `sh` starting git costs almost nothing: so the requests made in
 * the same turn of the event loop (a facts worker has several repos in flight) run from one `sh`.
 * Where there is no POSIX shell (Windows), each command is its own process.
 */
export function runGit(cwd: string, commands: string[][]): Promise<(string | undefined)[]> {
  if (process.platform === 'win32')
    return Promise.all(commands.map((args) => run('git', ['-C', cwd, ...args])));
  return new Promise((resolve) => {
    queue.push({ cwd, commands, resolve });
    if (queue.length === 1) setImmediate(flush);
    else if (queue.length >= MAX_BATCH) flush();
  });
}

function flush(): void {
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  const script: string[] = [];
  const args: string[] = [];
  const ref = (value: string) => {
    args.push(value);
    return `"\${${args.length}}"`;
  };
  for (const p of batch) {
    const dir = ref(p.cwd);
    for (const command of p.commands)
      script.push(`git -C ${dir} ${command.map(ref).join(' ')}; printf '\\000spine-git-exit:%s\\000' $?`);
  }
  void run('sh', ['-c', script.join('\n'), 'sh', ...args]).then((out) => {
    let rest = out ?? '';
    for (const p of batch) {
      const outputs: (string | undefined)[] = [];
      for (let i = 0; i < p.commands.length; i++) {
        const at = rest.indexOf(MARK);
        const end = at < 0 ? -1 : rest.indexOf('\0', at + MARK.length);
        if (end < 0) {
          outputs.push(undefined);
          continue;
        }
        const status = rest.slice(at + MARK.length, end);
        outputs.push(status === '0' ? rest.slice(0, at).trimEnd() : undefined);
        rest = rest.slice(end + 1);
      }
      p.resolve(outputs);
    }
  });
}

function run(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: MAX_OUTPUT, encoding: 'utf8' }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}
