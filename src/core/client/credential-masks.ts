/** A `sandbox.credentials` entry in `mask` mode, where a settings file asks for one. */
export interface MaskEntry {
  list: 'envVars' | 'files';
  index: number;
  /** The variable name or file path it masks. */
  target: string;
}

/** Every `mask` entry under `sandbox.credentials` of one settings file's value. */
export function maskEntries(settings: unknown): MaskEntry[] {
  const credentials = (settings as { sandbox?: { credentials?: Record<string, unknown> } } | null)?.sandbox
    ?.credentials;
  if (!credentials || typeof credentials !== 'object') return [];
  const out: MaskEntry[] = [];
  for (const list of ['envVars', 'files'] as const) {
    const entries = credentials[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (!entry || typeof entry !== 'object' || (entry as { mode?: unknown }).mode !== 'mask') return;
      const target = (entry as { name?: unknown; path?: unknown })[list === 'envVars' ? 'name' : 'path'];
      out.push({ list, index, target: typeof target === 'string' ? target : '?' });
    });
  }
  return out;
}
