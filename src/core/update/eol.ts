/** The line ending a text uses: CRLF when most of its line breaks are CRLF, else LF. */
export function detectEol(text: string): '\r\n' | '\n' {
  const breaks = (text.match(/\n/g) ?? []).length;
  const crlf = (text.match(/\r\n/g) ?? []).length;
  return breaks > 0 && crlf * 2 >= breaks ? '\r\n' : '\n';
}

/** The same text with every line break spelled `eol`. */
export function withEol(text: string, eol: '\r\n' | '\n'): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

/** Text content rewritten to the line ending of `like` (bytes returned unchanged for binary). */
export function matchEol(content: Buffer, like: Buffer | undefined): Buffer {
  if (!like || like.subarray(0, 8192).includes(0) || content.subarray(0, 8192).includes(0)) return content;
  const eol = detectEol(like.toString('utf8'));
  const text = content.toString('utf8');
  const converted = withEol(text, eol);
  return converted === text ? content : Buffer.from(converted, 'utf8');
}
