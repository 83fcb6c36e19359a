import { writeSync } from 'node:fs';

/**
 * Writes to stdout (1) or stderr (2) at once. process.stdout over the client's pipe would be a
 * net.Socket, loading the net and stream modules for one line; a pipe that is full for a moment
 * (non-blocking) is written again until it takes the rest.
 */
export function say(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}

/** One line on stderr: what failed, for an event that goes on. */
export function warn(message: string): void {
  say(2, `${message}\n`);
}
