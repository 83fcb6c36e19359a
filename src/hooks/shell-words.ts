import { tick } from './deadline.js';

/**
 * A small shell lexer: enough of bash to see every word a command passes to any program, and
 * where a compound command splits. It never executes or expands anything but quotes, escapes
 * and ANSI-C strings; subshells, `$(…)`, backticks, braces and redirections are separators, so
 * the words inside them are seen too.
 */

export interface ShellWord {
  /** The word after quote removal. */
  text: string;
  /** Some part of it was quoted: may hold code (`python -c "…"`), scanned for paths inside. */
  quoted: boolean;
  /** Which simple command it belongs to: a new one starts at `;`, `|`, `&&`, `(`, `$(`, backticks. */
  command: number;
  /** It is the target of a redirection (`> file`, `< file`), not an argument of the program. */
  redirect: boolean;
}

export interface ShellCommand {
  words: ShellWord[];
  /** The command split on `&&`, `||`, `;`, `|`, `&` and newlines outside quotes and subshells. */
  segments: string[];
}

const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')', '`']);
const SEGMENT_BREAK = new Set([';', '&', '|', '\n']);

const PLAIN = /[^\s;&|<>()`'"\\$#{}]+/y;
let last: { command: string; parsed: ShellCommand } | undefined;

/** Parses a command; the guard and every Bash rule ask about the same one, so the last is kept. */
export function parseShell(command: string): ShellCommand {
  if (last?.command !== command) last = { command, parsed: lex(command) };
  return last.parsed;
}

/** Command substitutions inside double quotes nested deeper than this are refused, not read. */
const MAX_NESTING = 8;

function lex(command: string, nesting = 0): ShellCommand {
  const words: ShellWord[] = [];
  const substitutions: string[] = [];
  const segments: string[] = [];
  let text = '';
  let quoted = false;
  let inWord = false;
  let depth = 0;
  let segmentStart = 0;
  let commandIndex = 0;
  let redirectNext = false;

  const endWord = () => {
    if (inWord) {
      words.push({ text, quoted, command: commandIndex, redirect: redirectNext });
      redirectNext = false;
    }
    text = '';
    quoted = false;
    inWord = false;
  };
  const endSegment = (at: number, skip: number) => {
    const part = command.slice(segmentStart, at).trim();
    if (part) segments.push(part);
    segmentStart = at + skip;
  };

  for (let i = 0; i < command.length; i++) {
    tick();
    const c = command[i]!;
    PLAIN.lastIndex = i;
    if (PLAIN.test(command)) {
      // A run of ordinary characters in one step: long arguments stay linear and cheap.
      text += command.slice(i, PLAIN.lastIndex);
      inWord = true;
      i = PLAIN.lastIndex - 1;
    } else if (c === '\\') {
      if (command[i + 1] === '\n') i++;
      else if (i + 1 < command.length) {
        text += command[++i];
        inWord = true;
      }
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      const stop = end < 0 ? command.length : end;
      text += command.slice(i + 1, stop);
      quoted = inWord = true;
      i = stop;
    } else if (c === '"') {
      i = readDouble(
        command,
        i + 1,
        (s) => {
          text += s;
        },
        (inner) => substitutions.push(inner),
      );
      quoted = inWord = true;
    } else if (c === '$' && command[i + 1] === "'") {
      const end = findAnsiEnd(command, i + 2);
      text += decodeAnsi(command.slice(i + 2, end));
      quoted = inWord = true;
      i = end;
    } else if (c === '$' && command[i + 1] === '{') {
      const end = command.indexOf('}', i + 2);
      const stop = end < 0 ? command.length - 1 : end;
      text += command.slice(i, stop + 1);
      inWord = true;
      i = stop;
    } else if (c === '$' && command[i + 1] === '(') {
      endWord();
      commandIndex++;
      depth++;
      i++;
    } else if (c === '#' && !inWord) {
      const end = command.indexOf('\n', i);
      i = (end < 0 ? command.length : end) - 1;
    } else if (WORD_BREAK.has(c)) {
      endWord();
      if (c === '<' || c === '>') redirectNext = true;
      else if (c !== ' ' && c !== '\t' && !(c === '&' && command[i - 1] === '>')) commandIndex++;
      if (c === '(') depth++;
      else if (c === ')') depth = Math.max(0, depth - 1);
      else if (depth === 0 && SEGMENT_BREAK.has(c)) {
        // `>&` / `&>` / `|&` redirect or pipe: a pipe still splits, a redirection does not.
        const prev = command[i - 1];
        if (c === '&' && (prev === '>' || prev === '<' || command[i + 1] === '>')) continue;
        const double = (c === '&' || c === '|') && command[i + 1] === c;
        endSegment(i, double ? 2 : 1);
        if (double) i++;
      }
    } else if (c === '{' || c === '}') {
      // Brace groups and expansions: `{a,b}` keeps its text so `.env{,.local}` is still seen.
      text += c;
      inWord = true;
    } else {
      text += c;
      inWord = true;
    }
  }
  endWord();
  endSegment(command.length, 0);
  // `echo "$(cat .env)"`: the quoted substitution's words are seen like any other command's.
  for (const inner of substitutions) {
    if (nesting >= MAX_NESTING)
      throw new Error(`the command nests quoted command substitutions more than ${MAX_NESTING} deep`);
    const sub = lex(inner, nesting + 1);
    const base = commandIndex + 1;
    for (const w of sub.words) {
      tick();
      words.push({ ...w, command: base + w.command });
      commandIndex = Math.max(commandIndex, base + w.command);
    }
  }
  return { words, segments };
}

const DOUBLE_PLAIN = /[^"\\$`]+/y;

/**
 * Reads a double-quoted string from `start`; returns the index of the closing quote. Command
 * substitutions inside it (`"$(cat .env)"`, `` "`cat .env`" ``) keep their text in the word and
 * are handed to `nested`: the shell runs them as commands of their own.
 */
function readDouble(
  command: string,
  start: number,
  emit: (s: string) => void,
  nested: (inner: string) => void,
): number {
  let i = start;
  while (i < command.length && command[i] !== '"') {
    tick();
    DOUBLE_PLAIN.lastIndex = i;
    if (DOUBLE_PLAIN.test(command)) {
      emit(command.slice(i, DOUBLE_PLAIN.lastIndex));
      i = DOUBLE_PLAIN.lastIndex;
    } else if (command[i] === '\\') {
      const next = command[i + 1] ?? '';
      if ('"\\$`'.includes(next) && next !== '') emit(next);
      else if (next !== '\n') emit(`\\${next}`);
      i += 2;
    } else if (command[i] === '$' && command[i + 1] === '(') {
      const end = substitutionEnd(command, i + 2);
      emit(command.slice(i, end + 1));
      nested(command.slice(i + 2, end));
      i = end + 1;
    } else if (command[i] === '`') {
      const close = command.indexOf('`', i + 1);
      const end = close < 0 ? command.length : close;
      emit(command.slice(i, end + 1));
      nested(command.slice(i + 1, end));
      i = end + 1;
    } else {
      emit(command[i]!);
      i++;
    }
  }
  return Math.min(i, command.length);
}

/** The `)` closing a `$(` whose body starts at `start`, past quotes and nested parentheses. */
function substitutionEnd(command: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < command.length) {
    tick();
    const c = command[i]!;
    if (c === '\\') i += 2;
    else if (c === "'" || c === '`') {
      const close = command.indexOf(c, i + 1);
      i = close < 0 ? command.length : close + 1;
    } else if (c === '"')
      i =
        readDouble(
          command,
          i + 1,
          () => {},
          () => {},
        ) + 1;
    else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i;
      i++;
    }
  }
  return command.length;
}

function findAnsiEnd(command: string, start: number): number {
  let i = start;
  while (i < command.length && command[i] !== "'") {
    tick();
    i += command[i] === '\\' ? 2 : 1;
  }
  return Math.min(i, command.length);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', e: '\x1b', '\\': '\\' };

/** `$'…'` strings: hex, octal, unicode and the common letter escapes. */
function decodeAnsi(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|.)/g,
    (_, e: string) => {
      if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') {
        // `\x` with no digits stays as it is (bash's reading); so does a code point past Unicode.
        const code = Number.parseInt(e.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : `\\${e}`;
      }
      if (/^[0-7]+$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
      return ESCAPES[e] ?? e;
    },
  );
}
