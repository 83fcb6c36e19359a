import { builtinRequire as load } from './self.js';

/**
 * Node builtins only some events use, loaded on first use. A static import would make every
 * PreToolUse compile them before it decides — http, https with TLS, dns, crypto, child_process and
 * the net and stream modules under them, about as long as a bare node start — for the exporter
 * (started at SessionEnd) alone. Loaded synchronously so the hook still answers with no
 * event-loop turn.
 */

export const childProcess = (): typeof import('node:child_process') => load('node:child_process');
export const crypto = (): typeof import('node:crypto') => load('node:crypto');
export const dns = (): typeof import('node:dns') => load('node:dns');
export const http = (): typeof import('node:http') => load('node:http');
export const https = (): typeof import('node:https') => load('node:https');
export const os = (): typeof import('node:os') => load('node:os');
