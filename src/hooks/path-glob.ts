/**
 * Path globs as Claude Code's Read/Edit rules read them (gitignore style, case-insensitive),
 * compiled to regular expressions over absolute, normalised paths:
 * `~/x` home, `//x` filesystem root, `/x` project root, `**\/x` anywhere, `x` (no slash) any
 * depth, `a/b` relative to the project. A trailing `/**` also matches the directory itself,
 * so copying or archiving a whole secret directory counts as touching it.
 */
export interface PathRoots {
  projectDir: string;
  home: string;
}

export function compilePathGlob(glob: string, roots: PathRoots): RegExp {
  let body = glob.trim().replace(/\/+$/, '');
  let prefix: string;
  if (body === '~' || body.startsWith('~/')) {
    prefix = `${escapeRegExp(trimSlash(roots.home))}/`;
    body = body.slice(2);
  } else if (body.startsWith('//')) {
    prefix = '/';
    body = body.slice(2);
  } else if (body.startsWith('/')) {
    prefix = `${escapeRegExp(trimSlash(roots.projectDir))}/`;
    body = body.slice(1);
  } else {
    body = body.replace(/^(\.\/)+/, '');
    const anywhere = body.startsWith('**/') || !body.includes('/');
    if (body.startsWith('**/')) body = body.slice(3);
    prefix = anywhere ? '/(?:.*/)?' : `${escapeRegExp(trimSlash(roots.projectDir))}/`;
  }
  return new RegExp(`^${prefix}${globBody(body)}$`, 'is');
}

function globBody(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '*' && body[i + 1] === '*') {
      const atStart = i === 0 || body[i - 1] === '/';
      if (atStart && body[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else if (atStart && i + 2 === body.length && i > 0) {
        // `dir/**`: the directory itself or anything below it.
        out = `${out.slice(0, -1)}(?:/.*)?`;
        i += 1;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = body.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${body
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += escapeRegExp(c);
  }
  return out;
}

function trimSlash(dir: string): string {
  return dir.length > 1 ? dir.replace(/\/+$/, '') : '';
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
