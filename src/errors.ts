/** Where in a file a problem is. Lines and columns are 1-based. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
}

/**
 * The error classes are branded with a registered symbol, and `instanceof` asks for the brand: a
 * bundle may carry its own copy of this module (the CommonJS doctor path, bin/spine.js, beside
 * the ES module build), and an error thrown by one copy must still be a UserError to the other.
 */
const USER_ERROR = Symbol.for('spine.UserError');
const EXIT_ERROR = Symbol.for('spine.ExitError');

function branded(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** Bad usage or bad input: reported as one line naming the file, exit code 2. */
export class UserError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, USER_ERROR);
  }

  readonly location?: Location;
  readonly details: string[];

  constructor(message: string, location?: Location, details: string[] = []) {
    super(message);
    this.name = 'UserError';
    this.location = location;
    this.details = details;
    Object.defineProperty(this, USER_ERROR, { value: true });
  }
}

/** Ends the command with a chosen exit code after its output has been written. */
export class ExitError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, EXIT_ERROR);
  }

  readonly code: number;

  constructor(code: number) {
    super(`exit ${code}`);
    this.name = 'ExitError';
    this.code = code;
    Object.defineProperty(this, EXIT_ERROR, { value: true });
  }
}

export function formatLocation(location: Location): string {
  const { file, line, column } = location;
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

export function formatUserError(error: UserError): string {
  return error.location ? `${formatLocation(error.location)}: ${error.message}` : error.message;
}

/** What to do about a fault of the machine rather than of spine: exit 2, one line, never 70. */
const ENVIRONMENT: Record<string, string> = {
  ENOSPC: 'no space left on the device; free some space and run the command again',
  EDQUOT: 'disk quota exceeded; free some space and run the command again',
  EROFS: 'the file system is read-only; run spine where the repository is writable',
  EACCES: 'permission denied; check the owner and mode of the file and its directory',
  EPERM: 'operation not permitted; check the owner and mode of the file and its directory',
  ENOTDIR: 'a part of this path is a file, not a directory; move it aside',
  EISDIR: 'this is a directory where spine expects a file; move it aside',
  ELOOP: 'too many levels of symbolic links; fix the link',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'input/output error; check the disk',
  EMFILE: 'too many open files; raise the limit (ulimit -n) and run the command again',
};

/** The one-line message for an environment fault (a system error with a path), else undefined. */
export function environmentFault(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  const what = typeof e?.code === 'string' ? ENVIRONMENT[e.code] : undefined;
  if (!what) return undefined;
  const path = e.path ?? (e as { dest?: string }).dest;
  return path ? `${path}: ${what}` : what;
}
