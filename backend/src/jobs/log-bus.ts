type Listener = (jobId: string) => void;

/** In-process wake-ups: "job X has new persisted log lines or changed status". Readers then read the database. */
export class LogBus {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(jobId: string, fn: Listener): () => void {
    let set = this.listeners.get(jobId);
    if (!set) this.listeners.set(jobId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(jobId);
    };
  }

  notify(jobId: string): void {
    for (const fn of this.listeners.get(jobId) ?? []) fn(jobId);
  }
}
