/** A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal. */
export interface Progress {
  tick(done: number, total: number): void;
  done(): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { tick: () => {}, done: () => {} };
  let last = 0;
  return {
    tick(done, total) {
      const now = Date.now();
      if (done < total && now - last < 100) return; // redraw at most 10 times a second
      last = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}
