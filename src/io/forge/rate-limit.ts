import { FORGE_TIMEOUT_MS } from './types.js';

/** At most this many waits for one request, and never longer than this in all. */
const MAX_RETRIES = 4;
const MAX_WAIT_MS = 120_000;

/**
 * fetch that waits out a forge's rate limit instead of failing the fleet: a 429, or a 403 that
 * carries `retry-after` or an exhausted `x-ratelimit-remaining` (GitHub's secondary limits), is
 * retried after the time the forge names (or a growing back-off), a bounded number of times.
 */
export async function fetchWithRateLimit(
  url: string | URL,
  init: RequestInit,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Response> {
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(FORGE_TIMEOUT_MS) });
    const wait = rateLimitWait(response, attempt);
    if (wait === undefined || attempt >= MAX_RETRIES || waited + wait > MAX_WAIT_MS) return response;
    await response.body?.cancel();
    waited += wait;
    await sleep(wait);
  }
}

/** How long the forge asks us to wait, or undefined when the answer is not a rate limit. */
export function rateLimitWait(
  response: { status: number; headers: Headers },
  attempt: number,
): number | undefined {
  const { status, headers } = response;
  const retryAfter = headers.get('retry-after');
  const exhausted = headers.get('x-ratelimit-remaining') === '0';
  if (status !== 429 && !(status === 403 && (retryAfter !== null || exhausted))) return undefined;
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (exhausted && reset > 0) return Math.max(0, reset * 1000 - Date.now()) + 1000;
  return 1000 * 2 ** attempt;
}
