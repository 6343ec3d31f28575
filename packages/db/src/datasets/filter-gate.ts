// Background reads give way to filters. After a restart the merged index answers filters alone while the
// preparation reads each dataset's vectors from the prepared cache in the background; those reads (their I/O,
// page faults and checksums, which run on the filtering thread) would compete with the first marketer's filter.
// So while any filter runs, a background read pauses between its chunks; it resumes when the last filter ends, or
// after a second at the latest (filters arriving back to back never starve the preparation). A read someone
// waits for (a filter or a sample that needs those very vectors) is no background read and never pauses.

export class FilterGate {
  private running = 0;
  private readonly waiting = new Set<() => void>();

  /** `maxPauseMs`: the longest one pause lasts, whatever still runs, so that the preparation always finishes. */
  constructor(private readonly maxPauseMs = 1_000) {}

  /** A filter starts; the function returned ends it (calling it again does nothing). */
  enter(): () => void {
    this.running++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.running--;
      if (this.running === 0) this.wake();
    };
  }

  /** Whether a filter runs now. */
  get busy(): boolean {
    return this.running > 0;
  }

  /**
   * Undefined when no filter runs, or `waitedFor` says somebody waits for this read (it goes on at once); else a
   * promise that resolves when no filter runs, when `waitedFor` turns true (checked on each `wake`), or after
   * `maxPauseMs`. A read pauses once per chunk: after a pause it reads its next chunk whatever runs, so it moves
   * on by at least a chunk a second.
   */
  pause(waitedFor: () => boolean = () => false): Promise<void> | undefined {
    if (this.running === 0 || waitedFor()) return undefined;
    return new Promise((resolve) => {
      const check = () => {
        if (this.running === 0 || waitedFor()) done();
      };
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(check);
        resolve();
      };
      const timer = setTimeout(done, this.maxPauseMs);
      this.waiting.add(check);
    });
  }

  /** Looks at every pause again (the last filter ended, or a paused read became one that somebody waits for). */
  wake(): void {
    for (const check of [...this.waiting]) check();
  }
}
