// What the learner's process printed, kept in memory with a cap: a learner's program that
// floods its output must not exhaust the checker's memory, and the checks only need the start.
export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

export const outputCapBytes = 256 * 1024;

export class OutputBuffer {
  readonly chunks: OutputChunk[] = [];
  private keptBytes = 0;
  /** Everything the process printed, kept or not. */
  totalBytes = 0;
  private readonly listeners = new Set<(chunk: OutputChunk) => void>();

  add(stream: OutputChunk['stream'], data: Buffer): void {
    this.totalBytes += data.length;
    const room = outputCapBytes - this.keptBytes;
    if (room <= 0) return;
    const chunk = { stream, text: data.subarray(0, room).toString('utf8') };
    this.keptBytes += Math.min(room, data.length);
    this.chunks.push(chunk);
    for (const listener of this.listeners) listener(chunk);
  }

  get truncated(): boolean {
    return this.totalBytes > this.keptBytes;
  }

  text(stream?: OutputChunk['stream']): string {
    return this.chunks
      .filter((chunk) => !stream || chunk.stream === stream)
      .map((chunk) => chunk.text)
      .join('');
  }

  subscribe(listener: (chunk: OutputChunk) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
