// Writeback of a file while it is being written: every 32 MiB, an fdatasync on libuv's thread pool, so that the
// fsync that makes the file durable at the end has little left to write. Through a descriptor of its own: Linux
// reports a writeback error once per open file, so the writer's own final fsync still sees any error these meet.
// Completions only run when the thread is idle (a build loop is not), so syncs are started by bytes written, a few
// at most at once, and the descriptor is closed once the last one ends.

import { closeSync, fdatasync, openSync } from 'node:fs';

const EVERY_BYTES = 32 << 20;
const AT_ONCE = 4;

export class BackgroundWriteback {
  private fd = -1;
  private running = 0;
  private startedAt = 0;
  private closed = false;

  constructor(private readonly path: string) {}

  /** `bytes` of the file have been written so far: starts a sync when enough has been written since the last. */
  written(bytes: number): void {
    if (this.closed || this.running >= AT_ONCE || bytes - this.startedAt < EVERY_BYTES) return;
    try {
      if (this.fd < 0) this.fd = openSync(this.path, 'r');
    } catch {
      // Only an optimisation: the final fsync does the work instead.
      this.closed = true;
      return;
    }
    this.running++;
    this.startedAt = bytes;
    fdatasync(this.fd, () => {
      if (--this.running === 0 && this.closed) this.release();
    });
  }

  /** No more syncs; the descriptor is closed now, or when the syncs still running end. */
  close(): void {
    this.closed = true;
    if (this.running === 0) this.release();
  }

  private release(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
