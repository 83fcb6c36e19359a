/** Tells a terminal user about a slow clone or fetch of a spine; silent for --json and non-TTY. */
export function sourceProgress(json: boolean, stderr: NodeJS.WriteStream = process.stderr) {
  if (json || !stderr.isTTY) return undefined;
  return (message: string) => {
    stderr.write(`spine: ${message}\n`);
  };
}
