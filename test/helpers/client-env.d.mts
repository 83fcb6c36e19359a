/** See client-env.mjs. */
export function clientEnv(options: {
  /** The client's home; its config directory is `<home>/.claude`. */
  home: string;
  /** The scripted model server's base URL; without it the client gets no API settings. */
  baseUrl?: string;
  env?: Record<string, string>;
}): Record<string, string>;
