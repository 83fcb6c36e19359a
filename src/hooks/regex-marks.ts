/**
 * The fixed text of a regular expression: what every match must contain. A string without it
 * cannot match, so the expression need not run on it — and is never compiled, which for the
 * redaction patterns of a spine is most of what redacting a short string costs (redact.ts).
 * Loops and character codes rather than regular expressions: this runs at every hook start.
 */

/**
 * Text that every match of `pattern` must contain (any one of the list), or undefined when the
 * pattern does not show it plainly. Conservative: only what stands at the top level of the
 * pattern, unquantified — a run of literal characters, or a group of literal alternatives like
 * `(AKIA|ASIA)`; a top-level `|` gives up.
 */
export function requiredMarks(pattern: string): string[] | undefined {
  // A brace that is no quantifier is a literal in a pattern without the u flag (`a{|b}` is `a{`
  // or `b}`): rather than follow that, give up.
  if (hasLiteralBrace(pattern)) return undefined;
  let best: string[] | undefined;
  let run = '';
  const keep = (marks: string[]) => {
    if (marks.some((m) => m.length < 2)) return;
    const weakest = (list: string[]) => Math.min(...list.map((m) => m.length)) - list.length;
    if (!best || weakest(marks) > weakest(best)) best = marks;
  };
  const endRun = () => {
    if (run) keep([run]);
    run = '';
  };
  const quantified = (at: number) => {
    const q = pattern[at];
    return q === '?' || q === '*' || q === '+' || q === '{';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      i++;
      if (isEscapedLiteral(e) && !quantified(i + 1)) {
        run += e;
        continue;
      }
      endRun();
      // Skip what the escape carries: \u0041, \u{41}, \x41, \cJ, \p{L}, \k<name>.
      if ((e === 'u' || e === 'p' || e === 'P') && pattern[i + 1] === '{') i = pattern.indexOf('}', i);
      else if (e === 'u') i += 4;
      else if (e === 'x') i += 2;
      else if (e === 'c') i += 1;
      else if (e === 'k' && pattern[i + 1] === '<') i = pattern.indexOf('>', i);
      if (i < 0) return undefined;
      continue;
    }
    if (c === '[') {
      endRun();
      i = classEnd(pattern, i);
      continue;
    }
    if (c === '(') {
      endRun();
      const start = i;
      let depth = 0;
      for (; i < pattern.length; i++) {
        const g = pattern[i];
        if (g === '\\') i++;
        else if (g === '[') i = classEnd(pattern, i);
        else if (g === '(') depth++;
        else if (g === ')' && --depth === 0) break;
      }
      const inner = pattern.slice(start + 1, i);
      const body = inner.startsWith('?:') ? inner.slice(2) : inner;
      const optional = pattern[i + 1] === '?' || pattern[i + 1] === '*' || pattern.startsWith('{0', i + 1);
      const alternatives = body.split('|');
      if (!optional && alternatives.every((a) => a.length > 0 && allPlain(a))) keep(alternatives);
      continue;
    }
    if (c === '|') return undefined;
    if (isPlain(c) && !quantified(i + 1)) {
      run += c;
      continue;
    }
    endRun();
    if (c === '{') while (i < pattern.length && pattern[i] !== '}') i++;
  }
  endRun();
  return best;
}

/** A character that stands for itself outside a class: letters, digits, `_`, space, `=`, `:`, `-`. */
function isPlain(c: string): boolean {
  const code = c.charCodeAt(0);
  return (
    c.length === 1 &&
    ((code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a) ||
      c === '_' ||
      c === ' ' ||
      c === '=' ||
      c === ':' ||
      c === '-')
  );
}

function allPlain(text: string): boolean {
  for (const c of text) if (!isPlain(c)) return false;
  return true;
}

/** After a backslash: punctuation that then stands for itself (`\.`, `\-`, `\/`, `\(`…). */
function isEscapedLiteral(c: string): boolean {
  return c.length === 1 && '-./\\:_=@#%&~\'"`,;!<>[](){}|^$*+?'.includes(c);
}

/** The index of the `]` closing the character class that opens at `open`. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i;
}

/** A `{` outside an escape that does not open a quantifier `{n}`, `{n,}` or `{n,m}`. */
function hasLiteralBrace(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] !== '{') continue;
    let j = i + 1;
    const digits = (from: number) => {
      let k = from;
      while (k < pattern.length && pattern[k]! >= '0' && pattern[k]! <= '9') k++;
      return k;
    };
    j = digits(j);
    if (j === i + 1) return true;
    if (pattern[j] === ',') j = digits(j + 1);
    if (pattern[j] !== '}') return true;
  }
  return false;
}
