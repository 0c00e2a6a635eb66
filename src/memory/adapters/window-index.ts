interface Entry {
  usedAt: number;
  bytes: number;
}

/**
 * The windows held, least recently used first, with their estimated sizes. It is what bounds the
 * memory: the adapter drops from the store whatever `touch` says went over the count or the bytes.
 */
export class WindowIndex {
  private readonly entries = new Map<string, Entry>();
  private heldBytes = 0;

  constructor(
    private readonly maxWindows: number,
    private readonly maxBytes: number,
  ) {}

  get count(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  has(sessionId: string): boolean {
    return this.entries.has(sessionId);
  }

  /** Marks a use (with the window's new size when it changed); returns the sessions to drop, least recently used first. */
  touch(sessionId: string, usedAt: number, bytes?: number): string[] {
    const size = bytes ?? this.entries.get(sessionId)?.bytes ?? 0;
    this.remove(sessionId);
    this.entries.set(sessionId, { usedAt, bytes: size });
    this.heldBytes += size;
    const dropped: string[] = [];
    for (const [oldest] of this.entries) {
      if (oldest === sessionId || (this.entries.size <= this.maxWindows && this.heldBytes <= this.maxBytes)) break;
      this.remove(oldest);
      dropped.push(oldest);
    }
    return dropped;
  }

  remove(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    this.heldBytes -= entry.bytes;
    this.entries.delete(sessionId);
  }

  /** The sessions last used before `cutoff` (ms), least recently used first. */
  usedBefore(cutoff: number): string[] {
    const idle: string[] = [];
    for (const [sessionId, { usedAt }] of this.entries) {
      if (usedAt >= cutoff) break;
      idle.push(sessionId);
    }
    return idle;
  }

  /** The sessions used since `cutoff` (ms), most recently used first. */
  usedSince(cutoff: number): string[] {
    const ids: string[] = [];
    for (const [sessionId, { usedAt }] of this.entries) if (usedAt >= cutoff) ids.push(sessionId);
    return ids.reverse();
  }
}
