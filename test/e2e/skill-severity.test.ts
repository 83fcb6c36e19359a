import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClaude } from '../helpers/claude.js';
import { gitdir } from '../helpers/gitdir.js';
import { startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';
import { spineCopy } from '../helpers/spine-copy.js';

// A skill the real client loads is not an error: a 1,068-character description and a frontmatter
// name that differs from its folder are Agent Skills spec warnings, and init goes through.

const LONG =
  `Use when a flaky test needs triage. ${'Checks the failure history, reruns, isolates. '.repeat(22)}`.slice(
    0,
    1068,
  );

describe('skill checks match the client', () => {
  it('warns (spec) where the client loads the skill, and init goes through', async () => {
    const spine = spineCopy((dir) => {
      mkdirSync(join(dir, 'skills', 'flaky-triage'), { recursive: true });
      writeFileSync(
        join(dir, 'skills', 'flaky-triage', 'SKILL.md'),
        `---\nname: triage-flaky-tests\ndescription: ${LONG}\n---\n\n# Flaky triage\n\nRerun, then bisect.\n`,
      );
    });
    const validate = await runCli(['validate', spine], { cwd: spine });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const said = validate.stdout + validate.stderr;
    expect(said).toMatch(
      /warning skill-description description is 10\d\d characters: the Agent Skills spec allows 1024/,
    );
    expect(said).toMatch(
      /differs from its directory name "flaky-triage": Claude Code calls it \/flaky-triage/,
    );

    const repo = gitdir({ 'README.md': '# x\n' });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
      cwd: repo,
    });
    expect(init.code, init.stderr).toBe(0);

    // The real client lists it under its directory name.
    const server = await startModelServer({ main: [{ text: 'done' }] });
    try {
      const run = await runClaude({ prompt: 'hello', cwd: repo, baseUrl: server.baseUrl });
      expect(run.code, run.stderr).toBe(0);
      expect(run.init?.skills).toContain('flaky-triage');
    } finally {
      await server.close();
    }
  }, 120_000);
});
