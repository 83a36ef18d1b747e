/**
 * At most `limit` tasks run at once; the others wait their turn in arrival order, at most `maxWaiting` of
 * them (past that, `run` rejects with what `busy` makes, without queueing). A task whose `signal` aborts
 * while it waits leaves the line without running, rejecting with the signal's reason.
 */
export class Gate {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
  ) {}

  /** Tasks waiting for their turn now. */
  get waiting(): number {
    return this.queue.length;
  }

  async run<T>(task: () => Promise<T>, busy: () => Error, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.running < this.limit) this.running++;
    else if (this.queue.length >= this.maxWaiting) throw busy();
    // The task that finishes hands its place straight to the first in line (`running` unchanged).
    else await this.turn(signal);
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }

  private turn(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const leave = () => {
        this.queue.splice(this.queue.indexOf(go), 1);
        reject(signal?.reason);
      };
      const go = () => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      this.queue.push(go);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }
}
