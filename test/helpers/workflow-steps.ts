import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { tempDir } from './gitdir.js';

/**
 * Runs the shell steps of a GitHub workflow job or a composite action as the runner would:
 * `bash -e` (composite: the declared shell), `${{ }}` expressions for inputs, step outputs and
 * statuses, `if:` with success()/always()/!cancelled()/hashFiles(), GITHUB_OUTPUT files. `uses:`
 * steps are not run; the record says whether the runner would have reached them.
 */
export interface StepRecord {
  name: string;
  ran: boolean;
  uses?: string;
  code?: number;
  stdout?: string;
  stderr?: string;
}

export interface JobResult {
  failed: boolean;
  steps: StepRecord[];
}

interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

export interface RunOptions {
  workspace: string;
  env: Record<string, string | undefined>;
  inputs?: Record<string, string>;
  /** For composite actions: where the action is checked out. */
  actionPath?: string;
  /** Context values the expressions may read, e.g. `{ 'github.token': '…' }`. */
  context?: Record<string, string>;
}

export function workflowSteps(file: string, job?: string): Step[] {
  const doc = parse(readFileSync(file, 'utf8'));
  if (doc.runs?.steps) return doc.runs.steps;
  const jobs = doc.jobs as Record<string, { steps: Step[] }>;
  return (job ? jobs[job] : Object.values(jobs)[0])!.steps;
}

export function actionInputs(file: string, given: Record<string, string> = {}): Record<string, string> {
  const doc = parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, { default?: string }> };
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) inputs[name] = spec.default ?? '';
  return { ...inputs, ...given };
}

export async function runJob(steps: Step[], options: RunOptions): Promise<JobResult> {
  const outputs: Record<string, Record<string, string>> = {};
  const outcomes: Record<string, string> = {};
  const records: StepRecord[] = [];
  let failed = false;
  const scratch = tempDir('spine-runner-');

  const value = (expr: string): string => {
    const e = expr.trim();
    let m = /^inputs\.([\w-]+)$/.exec(e);
    if (m) return options.inputs?.[m[1]!] ?? '';
    m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
    if (m) return outputs[m[1]!]?.[m[2]!] ?? '';
    m = /^steps\.([\w-]+)\.outcome$/.exec(e);
    if (m) return outcomes[m[1]!] ?? '';
    m = /^'(.*)'$/.exec(e);
    if (m) return m[1]!;
    if (options.context && e in options.context) return options.context[e]!;
    m = /^hashFiles\('(.+)'\)$/.exec(e);
    if (m) return existsSync(join(options.workspace, m[1]!)) ? 'hash' : '';
    throw new Error(`expression not supported by the test runner: ${e}`);
  };
  const truth = (cond: string): boolean => {
    let c = cond.trim().replace(/^\$\{\{(.*)\}\}$/s, '$1');
    const anyStatus = /always\(\)|!cancelled\(\)/.test(c);
    c = c.replace(/always\(\)|!cancelled\(\)/g, 'true');
    const parts = c.split('&&').map((p) => p.trim());
    const ok = parts.every((p) => {
      if (p === 'true') return true;
      if (p === 'success()') return !failed;
      if (p === 'failure()') return failed;
      const cmp = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(p);
      if (!cmp) throw new Error(`condition not supported by the test runner: ${p}`);
      const same = value(cmp[1]!) === value(cmp[3]!);
      return cmp[2] === '==' ? same : !same;
    });
    return ok && (anyStatus || /success\(\)|failure\(\)/.test(c) || !failed);
  };
  const interpolate = (text: string) => text.replace(/\$\{\{(.*?)\}\}/g, (_m, e: string) => value(e));

  for (const [i, step] of steps.entries()) {
    const name = step.name ?? step.uses ?? step.run ?? `step ${i}`;
    const runs = step.if === undefined ? !failed : truth(String(step.if));
    if (!step.run) {
      records.push({ name, ran: runs, uses: step.uses });
      continue;
    }
    if (!runs) {
      records.push({ name, ran: false });
      continue;
    }
    const outputFile = join(scratch, `output-${i}`);
    writeFileSync(outputFile, '');
    const env: Record<string, string | undefined> = {
      ...options.env,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_OUTPUT: outputFile,
      ...(options.actionPath ? { GITHUB_ACTION_PATH: options.actionPath } : {}),
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = interpolate(String(v));
    const cwd = resolve(options.workspace, interpolate(step['working-directory'] ?? '.'));
    const script = join(scratch, `step-${i}.sh`);
    writeFileSync(script, interpolate(step.run));
    // GitHub's default for `bash`: --noprofile --norc -eo pipefail.
    // Asynchronous: a registry served from this process must keep answering while npm runs.
    const result = await run(script, cwd, env);
    const code = result.code;
    records.push({ name, ran: true, code, stdout: result.stdout, stderr: result.stderr });
    if (step.id) {
      outcomes[step.id] = code === 0 ? 'success' : 'failure';
      outputs[step.id] = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
    if (code !== 0) failed = true;
  }
  return { failed, steps: records };
}

function run(
  script: string,
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
