/** One bundled doc: `docs/<topic>.md` of the package. */
export interface DocPage {
  topic: string;
  /** The first `# ` heading, or the topic when the page has none. */
  title: string;
  text: string;
}

export interface DocMatch {
  topic: string;
  line: number;
  text: string;
}

/** A page from its file name and content: the topic is the lower-cased name without `.md`. */
export function toPage(fileName: string, text: string): DocPage {
  const topic = fileName.replace(/\.md$/i, '').toLowerCase();
  const heading = /^# +(.+)$/m.exec(text);
  return { topic, title: heading ? heading[1]!.trim() : topic, text };
}

/** The page a user asked for: the topic in any case, with or without `.md` or `docs/`. */
export function findPage(pages: DocPage[], asked: string): DocPage | undefined {
  const topic = asked
    .trim()
    .replace(/^docs\//i, '')
    .replace(/\.md$/i, '')
    .toLowerCase();
  return pages.find((p) => p.topic === topic);
}

/** Every line that contains `text`, case-insensitively, in page order. */
export function searchPages(pages: DocPage[], text: string): DocMatch[] {
  const needle = text.toLowerCase();
  const matches: DocMatch[] = [];
  for (const page of pages) {
    page.text.split(/\r?\n/).forEach((line, i) => {
      if (line.toLowerCase().includes(needle)) matches.push({ topic: page.topic, line: i + 1, text: line });
    });
  }
  return matches;
}
