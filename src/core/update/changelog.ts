import semver from 'semver';

export interface ChangelogSection {
  version: string;
  text: string;
}

const HEADING = /^##\s+\[?v?(\d+\.\d+\.\d+(?:-[\w.]+)?)\]?/;

/**
 * The sections of a Keep-a-Changelog file for versions after `from` up to and including `to`,
 * newest first, each with its heading line.
 */
export function changelogBetween(
  changelog: string | undefined,
  from: string,
  to: string,
): ChangelogSection[] {
  if (!changelog || !semver.valid(from) || !semver.valid(to)) return [];
  const sections: ChangelogSection[] = [];
  let current: { version: string; lines: string[] } | undefined;
  const close = () => {
    if (current && semver.gt(current.version, from) && semver.lte(current.version, to)) {
      sections.push({ version: current.version, text: current.lines.join('\n').trimEnd() });
    }
  };
  for (const line of changelog.replace(/\r\n/g, '\n').split('\n')) {
    const match = HEADING.exec(line);
    if (match && semver.valid(match[1]!)) {
      close();
      current = { version: match[1]!, lines: [line] };
    } else if (/^##\s/.test(line)) {
      close();
      current = undefined;
    } else if (current) {
      current.lines.push(line);
    }
  }
  close();
  return sections.sort((a, b) => semver.rcompare(a.version, b.version));
}
