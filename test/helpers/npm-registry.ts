import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './gitdir.js';
import { REPO_ROOT } from './run-cli.js';

/**
 * A registry-free stand-in for npmjs.org: a loopback server speaking the registry's wire format
 * (packument JSON at `/<name>`, tarballs under `/-/`), serving the packed CLI and every production
 * dependency the lockfile names, each packed from node_modules. `npm install` runs for real.
 */
export interface LocalRegistry {
  url: string;
  /** The packed CLI tarball, as `npm pack` made it. */
  tarball: string;
  close(): Promise<void>;
}

interface Version {
  name: string;
  version: string;
  tarball: string;
  manifest: Record<string, unknown>;
}

/**
 * `npm pack` of the built worktree with its prepack/postpack scripts (the shrinkwrap), but not
 * `prepare`: the tests run on the build they test (`npm run build` first).
 */
export function packCli(dir = tempDir('spine-pack-')): string {
  const npm = (...args: string[]) =>
    execFileSync('npm', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  npm('run', 'prepack');
  try {
    const out = npm('pack', '--ignore-scripts', '--json', '--pack-destination', dir);
    return join(dir, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  } finally {
    npm('run', 'postpack');
  }
}

/** The published bytes, from npm's content-addressed cache (filled by `npm ci`), if there. */
function cachedTarball(cache: string, integrity: string | undefined): string | undefined {
  const m = /^sha512-(.+)$/.exec(integrity ?? '');
  if (!m) return undefined;
  const hex = Buffer.from(m[1]!, 'base64').toString('hex');
  const file = join(
    cache,
    '_cacache',
    'content-v2',
    'sha512',
    hex.slice(0, 2),
    hex.slice(2, 4),
    hex.slice(4),
  );
  return existsSync(file) ? file : undefined;
}

function packInstalled(path: string, dir: string, published?: string): Version {
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
  if (published) return { name: manifest.name, version: manifest.version, tarball: published, manifest };
  const file = join(dir, `${String(manifest.name).replace('/', '-')}-${manifest.version}.tgz`);
  execFileSync('tar', [
    'czf',
    file,
    '--exclude=./node_modules',
    '-C',
    path,
    '--transform=s,^\\.,package,',
    '.',
  ]);
  return { name: manifest.name, version: manifest.version, tarball: file, manifest };
}

export async function startRegistry(tarball = packCli()): Promise<LocalRegistry> {
  const dir = tempDir('spine-registry-');
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; integrity?: string }>;
  };
  const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const versions: Version[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.dev || entry.devOptional) continue;
    versions.push(packInstalled(join(REPO_ROOT, path), dir, cachedTarball(cache, entry.integrity)));
  }
  const cliDir = tempDir('spine-cli-manifest-');
  execFileSync('tar', ['xzf', tarball, '-C', cliDir, 'package/package.json']);
  const cli = JSON.parse(readFileSync(join(cliDir, 'package', 'package.json'), 'utf8'));
  // The registry marks a version published with a shrinkwrap; npm then installs its tree as locked.
  const shrinkwrapped = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .includes('package/npm-shrinkwrap.json');
  versions.push({
    name: cli.name,
    version: cli.version,
    tarball,
    manifest: { ...cli, _hasShrinkwrap: shrinkwrapped },
  });

  const byName = new Map<string, Version[]>();
  for (const v of versions) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  const files = new Map<string, string>();

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const file = files.get(path);
    if (file) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(readFileSync(file));
      return;
    }
    const list = byName.get(path);
    if (!list) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
      return;
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const packument = {
      name: path,
      'dist-tags': { latest: list[list.length - 1]!.version },
      versions: Object.fromEntries(
        list.map((v) => {
          const bytes = readFileSync(v.tarball);
          const key = `-/${v.name}/${v.version}.tgz`;
          files.set(key, v.tarball);
          const { scripts: _scripts, devDependencies: _dev, ...manifest } = v.manifest;
          return [
            v.version,
            {
              ...manifest,
              dist: {
                tarball: `${base}/${key}`,
                shasum: createHash('sha1').update(bytes).digest('hex'),
                integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
              },
            },
          ];
        }),
      ),
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    tarball,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
