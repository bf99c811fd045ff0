import { open, mkdir, readdir, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialQueue } from './serial-queue.js';

/** A segment is sealed and a new one started once it holds this many bytes. */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
const SUFFIX = '.ndjson';
/** Bytes read at a time when looking for the end of a line. */
const READ_CHUNK = 16 * 1024;

/** One segment file: its lines start at global positions `start` … `start + size - 1`. */
export interface JournalSegment {
  start: number;
  size: number;
  path: string;
}

function segmentName(start: number): string {
  return `${String(start).padStart(16, '0')}${SUFFIX}`;
}

/** Makes a new segment's directory entry durable (fdatasync of the file alone does not). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Cuts a torn last line (a write the crash interrupted, never acknowledged) off the segment. */
async function truncateTornTail(path: string, size: number): Promise<number> {
  if (size === 0) return 0;
  const handle = await open(path, 'r');
  try {
    let end = size;
    while (end > 0) {
      const length = Math.min(READ_CHUNK, end);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, end - length);
      const newline = buffer.lastIndexOf(0x0a);
      if (newline >= 0) {
        end = end - length + newline + 1;
        break;
      }
      end -= length;
    }
    if (end < size) await truncate(path, end);
    return end;
  } finally {
    await handle.close();
  }
}

/**
 * An append-only journal of newline-delimited lines in segment files named by the global position of
 * their first byte. `append` returns once the lines are on disk (write + fdatasync), so it is the
 * durability point: concurrent callers are serialised and each pays one fdatasync (callers batch).
 * A position is a line's global byte offset: stable for the journal's life, never reused.
 */
export class Journal {
  readonly dir: string;
  readonly #queue = new SerialQueue();
  /** Sealed segments, oldest first; the current one is last. */
  #segments: JournalSegment[];
  #handle: FileHandle;
  #closed = false;

  private constructor(dir: string, segments: JournalSegment[], handle: FileHandle) {
    this.dir = dir;
    this.#segments = segments;
    this.#handle = handle;
  }

  /** Opens (creating) the journal in `dir`, dropping a torn last line left by a crash. */
  static async open(dir: string): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    const segments: JournalSegment[] = [];
    for (const name of (await readdir(dir)).filter((n) => n.endsWith(SUFFIX)).sort()) {
      const path = join(dir, name);
      segments.push({ start: Number(name.slice(0, -SUFFIX.length)), size: (await stat(path)).size, path });
    }
    const last = segments.at(-1);
    if (last) last.size = await truncateTornTail(last.path, last.size);
    else segments.push({ start: 0, size: 0, path: join(dir, segmentName(0)) });
    const current = segments.at(-1)!;
    const handle = await open(current.path, 'a');
    await syncDirectory(dir);
    return new Journal(dir, segments, handle);
  }

  /** The global position after the last byte written. */
  get end(): number {
    const current = this.#segments.at(-1)!;
    return current.start + current.size;
  }

  /** Segments, oldest first (the last is the one being written). */
  get segments(): readonly JournalSegment[] {
    return this.#segments;
  }

  /**
   * Appends lines (no newline inside) and resolves with each line's position once they are durable.
   * `onDurable` runs right after, before any other journal operation.
   */
  append(lines: string[], onDurable?: (positions: number[]) => void): Promise<number[]> {
    return this.#queue.run(async () => {
      this.#checkOpen();
      if (this.#segments.at(-1)!.size >= SEGMENT_BYTES) await this.#startSegment();
      const current = this.#segments.at(-1)!;
      const positions: number[] = [];
      let at = current.start + current.size;
      for (const line of lines) {
        positions.push(at);
        at += Buffer.byteLength(line) + 1;
      }
      const bytes = Buffer.from(lines.join('\n') + '\n');
      let written = 0;
      while (written < bytes.length) written += (await this.#handle.write(bytes, written)).bytesWritten;
      await this.#handle.datasync();
      current.size += bytes.length;
      onDurable?.(positions);
      return positions;
    });
  }

  /**
   * Starts a new segment (when the current one holds anything) and returns the sealed ones, oldest
   * first; `onSealed` runs before any later append, so it sees exactly what the sealed segments hold.
   */
  seal(onSealed?: () => void): Promise<JournalSegment[]> {
    return this.#queue.run(async () => {
      this.#checkOpen();
      if (this.#segments.at(-1)!.size > 0) await this.#startSegment();
      onSealed?.();
      return this.#segments.slice(0, -1);
    });
  }

  /** Deletes sealed segments the predicate picks (never the current one). */
  deleteSegments(pick: (segment: JournalSegment) => boolean | Promise<boolean>): Promise<number> {
    return this.#queue.run(async () => {
      const kept: JournalSegment[] = [];
      let deleted = 0;
      for (const segment of this.#segments.slice(0, -1)) {
        if (await pick(segment)) {
          await rm(segment.path, { force: true });
          deleted++;
        } else kept.push(segment);
      }
      this.#segments = [...kept, this.#segments.at(-1)!];
      return deleted;
    });
  }

  /** Modification time of a segment's file (ms), or null when it is gone. */
  async modifiedAtMs(segment: JournalSegment): Promise<number | null> {
    try {
      return (await stat(segment.path)).mtimeMs;
    } catch {
      return null;
    }
  }

  /** The line at a position, or null when its segment is gone (retention) or the position is past the end. */
  async readLine(position: number): Promise<string | null> {
    const segment = this.#segmentAt(position);
    if (!segment || position >= segment.start + segment.size) return null;
    let handle: FileHandle;
    try {
      handle = await open(segment.path, 'r');
    } catch {
      return null;
    }
    try {
      const chunks: Buffer[] = [];
      let offset = position - segment.start;
      for (;;) {
        const buffer = Buffer.alloc(READ_CHUNK);
        const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, offset);
        if (bytesRead === 0) return null;
        const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
        if (newline >= 0) {
          chunks.push(buffer.subarray(0, newline));
          return Buffer.concat(chunks).toString('utf8');
        }
        chunks.push(buffer.subarray(0, bytesRead));
        offset += bytesRead;
      }
    } finally {
      await handle.close();
    }
  }

  /** Calls `visit` with every line from `from` on, in order (`from` must be a line start or the end). */
  async scan(from: number, visit: (line: string, position: number) => void): Promise<void> {
    for (const segment of this.#segments) {
      const segmentEnd = segment.start + segment.size;
      if (segmentEnd <= from || segment.size === 0) continue;
      const handle = await open(segment.path, 'r');
      try {
        let offset = Math.max(0, from - segment.start);
        let carry = Buffer.alloc(0);
        let carryAt = segment.start + offset;
        const buffer = Buffer.alloc(1024 * 1024);
        while (offset < segment.size) {
          const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, segment.size - offset), offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          const data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
          let lineStart = 0;
          for (let newline = data.indexOf(0x0a); newline >= 0; newline = data.indexOf(0x0a, lineStart)) {
            visit(data.toString('utf8', lineStart, newline), carryAt + lineStart);
            lineStart = newline + 1;
          }
          carryAt += lineStart;
          carry = Buffer.from(data.subarray(lineStart));
        }
      } finally {
        await handle.close();
      }
    }
  }

  /** The last line written, or null when the journal is empty. */
  async lastLine(): Promise<string | null> {
    for (let i = this.#segments.length - 1; i >= 0; i--) {
      const segment = this.#segments[i]!;
      if (segment.size === 0) continue;
      const handle = await open(segment.path, 'r');
      try {
        // the line before the final newline: read backwards until the newline before it
        let from = segment.size - 1;
        const chunks: Buffer[] = [];
        while (from > 0) {
          const length = Math.min(READ_CHUNK, from);
          const buffer = Buffer.alloc(length);
          await handle.read(buffer, 0, length, from - length);
          const newline = buffer.lastIndexOf(0x0a);
          if (newline >= 0) {
            chunks.unshift(buffer.subarray(newline + 1));
            return Buffer.concat(chunks).toString('utf8');
          }
          chunks.unshift(buffer);
          from -= length;
        }
        return Buffer.concat(chunks).toString('utf8');
      } finally {
        await handle.close();
      }
    }
    return null;
  }

  /** Waits for pending appends and closes the file. */
  close(): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#closed) return;
      this.#closed = true;
      await this.#handle.close();
    });
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`the journal in ${this.dir} is closed`);
  }

  #segmentAt(position: number): JournalSegment | undefined {
    let found: JournalSegment | undefined;
    for (const segment of this.#segments) {
      if (segment.start > position) break;
      found = segment;
    }
    return found;
  }

  async #startSegment(): Promise<void> {
    const start = this.end;
    await this.#handle.close();
    const path = join(this.dir, segmentName(start));
    this.#handle = await open(path, 'a');
    await syncDirectory(this.dir);
    this.#segments.push({ start, size: 0, path });
  }
}
