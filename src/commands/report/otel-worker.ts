import { parentPort } from 'node:worker_threads';
import { readOtelFile } from './otel-file.js';

/** A worker thread: reads the telemetry files it is sent, one at a time, and posts each result. */
parentPort?.on('message', async (message: { id: number; file: string; display: string }) => {
  try {
    const result = await readOtelFile(message.file, message.display);
    parentPort?.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
