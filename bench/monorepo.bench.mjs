// init and doctor on a monorepo of 200 npm workspace packages (docs/monorepos.md): each launch
// directory gets its own settings, so both walk 200 directories. Timed in one rotation with the
// same command on a one-package repository and a bare node start; peak memory beside.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, nodeCase, peakMemoryMedian, row, timeInterleaved } from './lib.mjs';

const PACKAGES = 200;

/** A git repository with `packages` npm workspace members, nothing onboarded yet. */
function template(dir, packages) {
  execFileSync('git', ['init', '-q', dir]);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] })}\n`,
  );
  for (let i = 0; i < packages; i++) {
    mkdirSync(join(dir, 'packages', `p${i}`), { recursive: true });
    writeFileSync(join(dir, 'packages', `p${i}`, 'package.json'), `{"name":"p${i}"}\n`);
  }
  return dir;
}

const INIT = ['init', '--yes', '--team', 'bench', '--champion', 'x'];

export default async function () {
  const scratch = mkdtempSync(join(tmpdir(), 'spine-bench-mono-'));
  const templates = {
    mono: template(join(scratch, 't-mono'), PACKAGES),
    one: template(join(scratch, 't-one'), 1),
  };
  let n = 0;
  const init = (from) => {
    const c = { command: process.execPath, args: [BIN, ...INIT] };
    // Each run onboards a fresh copy, made before the clock starts.
    c.before = () => {
      c.cwd = join(scratch, `run-${n++}`);
      cpSync(from, c.cwd, { recursive: true });
    };
    return c;
  };
  const onboarded = {};
  for (const [name, from] of Object.entries(templates)) {
    onboarded[name] = join(scratch, `onboarded-${name}`);
    cpSync(from, onboarded[name], { recursive: true });
    execFileSync(process.execPath, [BIN, ...INIT], { cwd: onboarded[name] });
  }
  const doctor = (cwd) => ({ command: process.execPath, args: [BIN, 'doctor', '--offline'], cwd });
  try {
    const t = timeInterleaved(
      {
        node: nodeCase(),
        'init mono': init(templates.mono),
        'init one': init(templates.one),
        'doctor mono': doctor(onboarded.mono),
        'doctor one': doctor(onboarded.one),
      },
      { rounds: 7 },
    );
    const base = t.node.median;
    const mib = (args, cwd) => peakMemoryMedian(process.execPath, [BIN, ...args], { cwd }, 3);
    const fresh = () => {
      const dir = join(scratch, `mem-${n++}`);
      cpSync(templates.mono, dir, { recursive: true });
      return dir;
    };
    const memInit = mib(INIT, fresh());
    const memDoctor = mib(['doctor', '--offline'], onboarded.mono);
    const mem = (v) => (v === undefined ? 'peak memory n/a' : `peak ${v.toFixed(1)} MiB`);
    return [
      row(
        `init, monorepo of ${PACKAGES} packages`,
        t['init mono'].median,
        base,
        '',
        `${(t['init mono'].median / t['init one'].median).toFixed(2)}× init of a 1-package repo (${t['init one'].median.toFixed(0)} ms); ${mem(memInit)}`,
      ),
      row(
        `doctor, monorepo of ${PACKAGES} packages`,
        t['doctor mono'].median,
        base,
        '',
        `${(t['doctor mono'].median / t['doctor one'].median).toFixed(2)}× doctor of a 1-package repo (${t['doctor one'].median.toFixed(0)} ms); ${mem(memDoctor)}`,
      ),
      row("monorepo: node -e '' (same rotation)", base, base, '', ''),
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
