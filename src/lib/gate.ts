/**
 * At most `limit` tasks run at once; the others wait their turn in arrival order, at most `maxWaiting` of
 * them (past that, `run` rejects with what `busy` makes, without queueing).
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

  async run<T>(task: () => Promise<T>, busy: () => Error): Promise<T> {
    if (this.running < this.limit) this.running++;
    else if (this.queue.length >= this.maxWaiting) throw busy();
    // The task that finishes hands its place straight to the first in line (`running` unchanged).
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
