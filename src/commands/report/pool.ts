/**
 * Runs `work` over the items with at most `limit` in flight, handing each result to `onResult`
 * as soon as it is ready, so the caller can fold and drop it (memory stays flat).
 */
export async function runPool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  onResult: (result: R, item: T, index: number) => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      onResult(await work(item, index), item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
