import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

/**
 * init on the embedded spine uses the build's snapshot of it (generated/embedded-spine.json) only
 * for exactly the files it was made from: an installed package whose spine/ was edited is loaded
 * and checked like any spine, and the snapshot gives the same repository as a full load.
 */

const run = promisify(execFile);

/** A copy of the built package, so its spine/ and generated/ can be changed. */
function packageCopy(): string {
  const dir = tempDir('spine-pkg-');
  for (const part of ['bin', 'dist', 'generated', 'spine', 'templates', 'schemas', 'package.json'])
    cpSync(join(REPO_ROOT, part), join(dir, part), { recursive: true, filter: (f) => !f.endsWith('.map') });
  // The compiled validators import ajv's runtime.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function init(pkg: string, repo: string) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(pkg, 'bin', 'spine.js'), 'init', '--yes', '--team', 'pay', '--champion', '@c'],
      { cwd: repo, env: { ...process.env, CI: '1', NO_COLOR: '1' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('init from the embedded spine', () => {
  it('writes the same repository with the build snapshot as with a full load', async () => {
    const pkg = packageCopy();
    const [withSnapshot, withoutSnapshot] = [
      gitdir({ 'README.md': '# r\n' }),
      gitdir({ 'README.md': '# r\n' }),
    ];
    expect((await init(pkg, withSnapshot)).code).toBe(0);
    rmSync(join(pkg, 'generated', 'embedded-spine.json'));
    expect((await init(pkg, withoutSnapshot)).code).toBe(0);
    expect(snapshot(withSnapshot)).toEqual(snapshot(withoutSnapshot));
  }, 60_000);

  it('loads and checks an edited spine/: a new term is written, a broken file is refused', async () => {
    const pkg = packageCopy();
    const glossary = join(pkg, 'spine', 'glossary.yaml');
    const original = readFileSync(glossary, 'utf8');
    writeFileSync(
      glossary,
      `${original}\n  - term: quokka\n    definition: A small marsupial, added to the installed copy.\n`,
    );
    const edited = gitdir({ 'README.md': '# r\n' });
    const ok = await init(pkg, edited);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(edited, '.claude', 'spine', 'GLOSSARY.md'), 'utf8')).toContain('quokka');

    writeFileSync(glossary, `${original}\n  - term: 42\n`);
    const broken = gitdir({ 'README.md': '# r\n' });
    const before = snapshot(broken);
    const refused = await init(pkg, broken);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('spine/glossary.yaml');
    expect(snapshot(broken)).toEqual(before);
  }, 60_000);
});
