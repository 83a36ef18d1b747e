import { Transform } from 'node:stream';
import { AppError } from './errors.ts';

/** Passes bytes through, counting them; past `limit` it fails with 413 instead of reading on. */
export function byteCounter(options: { limit?: number; onBytes?: (total: number) => void } = {}): Transform & {
  bytes(): number;
} {
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (options.limit !== undefined && total > options.limit) {
        callback(
          new AppError('PAYLOAD_TOO_LARGE', {
            message: `The upload is larger than ${Math.round(options.limit / 1048576)} MB.`,
          }),
        );
        return;
      }
      options.onBytes?.(total);
      callback(null, chunk);
    },
  });
  return Object.assign(counter, { bytes: () => total });
}
