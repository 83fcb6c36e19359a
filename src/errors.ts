/** Where in a file a problem is. Lines and columns are 1-based. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
}

/** Bad usage or bad input: reported as one line naming the file, exit code 2. */
export class UserError extends Error {
  readonly location?: Location;
  readonly details: string[];

  constructor(message: string, location?: Location, details: string[] = []) {
    super(message);
    this.name = 'UserError';
    this.location = location;
    this.details = details;
  }
}

/** Ends the command with a chosen exit code after its output has been written. */
export class ExitError extends Error {
  readonly code: number;

  constructor(code: number) {
    super(`exit ${code}`);
    this.name = 'ExitError';
    this.code = code;
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
