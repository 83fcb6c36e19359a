import { sha256Hex } from '../sha256.js';

export function hashBytes(content: Buffer): string {
  return sha256Hex(content);
}
