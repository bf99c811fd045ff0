import { constants } from 'node:fs';
import { open, mkdir, readdir, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { GroupCommit, writtenNow, type Written } from '../group-commit.js';
import { BufferPool } from './buffer-pool.js';

const noOutputs = (): void => undefined;

/** A new segment is started once the current one holds this many bytes. */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
const SUFFIX = '.ndjson';
/**
 * Segments are written with O_DSYNC: a write returns once its bytes are on disk, so a batch costs one
 * trip through the thread pool and one event-loop turn instead of two (write, then fdatasync).
 */
const APPEND_DURABLE = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC;

/** Encode buffers: the smallest allocated, how many are kept, and the largest kept. */
const ENCODE_BUFFERS = { minBytes: 256 * 1024, maxBuffers: 8, maxBytes: 16 * 1024 * 1024 };
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

/** The position just after the last newline before `end` in the file (0 when there is none): where the line around `end` starts. */
async function lineStartBefore(handle: FileHandle, end: number): Promise<number> {
  for (let to = end; to > 0;) {
    const length = Math.min(READ_CHUNK, to);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, to - length);
    const newline = buffer.lastIndexOf(0x0a);
    if (newline >= 0) return to - length + newline + 1;
    to -= length;
  }
  return 0;
}

/** Cuts a torn last line (a write the crash interrupted, never acknowledged) off the segment. */
async function truncateTornTail(path: string, size: number): Promise<number> {
  if (size === 0) return 0;
  const handle = await open(path, 'r');
  try {
    const end = await lineStartBefore(handle, size);
    if (end < size) await truncate(path, end);
    return end;
  } finally {
    await handle.close();
  }
}

/** One append's bytes, as group commit passes them. */
interface LinesWrite {
  bytes: Buffer;
  /** The pooled buffer `bytes` is a view of, given back once written. */
  backing: Buffer;
}

/** What `append` hands back at once: where each line will be, and when it is on disk. */
export interface Appended {
  positions: number[];
  durable: Promise<void>;
}

/**
 * An append-only journal of newline-delimited lines in segment files named by the global position of
 * their first byte. A line's position (its global byte offset) is known when `append` returns; it is
 * durable once `durable` resolves (an O_DSYNC write). Appends made while a write is in flight go
 * to disk together in the next one (`store/group-commit.ts`), so callers never wait on each other's JS
 * work. A failed write fails every append after it: the journal is then unusable (as PostgreSQL treats
 * a failed fsync), because what follows may depend on what was lost.
 */
export class Journal {
  readonly dir: string;
  /** Segments, oldest first; the current one (written to) is last. */
  #segments: JournalSegment[];
  #handle: FileHandle;
  /** One O_DSYNC write at a time, of every append queued meanwhile. */
  readonly #writes = new GroupCommit<LinesWrite, never>({ write: (batch) => this.#writeLines(batch), maxWeight: Infinity });
  /** Global position after the last byte appended (written or queued). */
  #end: number;
  /** Global position after the last byte known to be on disk. */
  #durableEnd: number;
  #waitingForDurable: Array<{ position: number; resolve: () => void; reject: (error: unknown) => void }> = [];
  /** Encode buffers reused across appends. */
  readonly #pool = new BufferPool(ENCODE_BUFFERS);
  #failed: unknown = null;
  #closed = false;

  readonly #segmentBytes: number;

  private constructor(dir: string, segments: JournalSegment[], handle: FileHandle, segmentBytes: number) {
    this.dir = dir;
    this.#segmentBytes = segmentBytes;
    this.#segments = segments;
    this.#handle = handle;
    const current = segments.at(-1)!;
    this.#end = current.start + current.size;
    this.#durableEnd = this.#end;
  }

  /** Opens (creating) the journal in `dir`, dropping a torn last line left by a crash. */
  static async open(dir: string, { segmentBytes = SEGMENT_BYTES }: { segmentBytes?: number } = {}): Promise<Journal> {
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
    const handle = await open(current.path, APPEND_DURABLE);
    await syncDirectory(dir);
    return new Journal(dir, segments, handle, segmentBytes);
  }

  /** The global position after the last line appended. */
  get end(): number {
    return this.#end;
  }

  /** The error that made the journal unusable, or null. */
  get failure(): unknown {
    return this.#failed;
  }

  /** Segments, oldest first (the last is the one being written). */
  get segments(): readonly JournalSegment[] {
    return this.#segments;
  }

  /** Queues lines (no newline inside): their positions now, `durable` once they are on disk. */
  append(lines: string[]): Appended {
    // one pass: each line is encoded straight into the buffer (UTF-8 needs at most 3 bytes per UTF-16 unit)
    let capacity = 0;
    for (const line of lines) capacity += line.length * 3 + 1;
    const buffer = this.#pool.take(capacity);
    const positions: number[] = [];
    let length = 0;
    for (const line of lines) {
      positions.push(this.#end + length);
      length += buffer.write(line, length);
      buffer[length++] = 0x0a;
    }
    if (this.#failed !== null || this.#closed) {
      this.#pool.give(buffer);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the write's own failure, as it came
      const durable = Promise.reject(this.#failed ?? new Error(`the journal in ${this.dir} is closed`));
      durable.catch(() => undefined);
      return { positions, durable };
    }
    this.#end += length;
    const durable = this.#writes.submit([{ bytes: buffer.subarray(0, length), backing: buffer }]).then(noOutputs);
    return { positions, durable };
  }

  /** Resolves once every byte before `position` (exclusive) is on disk. */
  whenDurable(position: number): Promise<void> {
    if (position <= this.#durableEnd) return Promise.resolve();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the write's own failure, as it came
    if (this.#failed !== null) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => this.#waitingForDurable.push({ position, resolve, reject }));
  }

  /** Writes a batch of appends (once the journal failed, every batch fails at once without writing). */
  async #writeLines(batch: LinesWrite[]): Promise<Written<never>> {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- fails with the write's own failure, as it came
    if (this.#failed !== null) throw this.#failed;
    try {
      if (this.#segments.at(-1)!.size >= this.#segmentBytes) await this.#startSegment();
      const length = await this.#writeAll(batch.map((write) => write.bytes));
      this.#segments.at(-1)!.size += length;
      this.#durableEnd += length;
    } catch (error) {
      this.#fail(error);
      throw error;
    } finally {
      for (const write of batch) this.#pool.give(write.backing);
    }
    this.#waitingForDurable = this.#waitingForDurable.filter((waiting) => {
      if (waiting.position > this.#durableEnd) return true;
      waiting.resolve();
      return false;
    });
    return writtenNow();
  }

  /** Writes the buffers in order with writev, finishing a partial write; returns the bytes written. */
  async #writeAll(buffers: Buffer[]): Promise<number> {
    const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    let written = (await this.#handle.writev(buffers)).bytesWritten;
    if (written < total) {
      const rest = Buffer.concat(buffers).subarray(written);
      for (let offset = 0; offset < rest.length;) offset += (await this.#handle.write(rest, offset)).bytesWritten;
      written = total;
    }
    return written;
  }

  #fail(error: unknown): void {
    this.#failed ??= error;
    for (const waiting of this.#waitingForDurable.splice(0)) waiting.reject(error);
  }

  /** Deletes segments the predicate picks (never the current one). */
  async deleteSegments(pick: (segment: JournalSegment) => boolean | Promise<boolean>): Promise<number> {
    const deleted = new Set<JournalSegment>();
    for (const segment of this.#segments.slice(0, -1)) {
      if (await pick(segment)) {
        await rm(segment.path, { force: true });
        deleted.add(segment);
      }
    }
    this.#segments = this.#segments.filter((segment) => !deleted.has(segment));
    return deleted.size;
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
      const segment = this.#segments[i];
      if (segment.size === 0) continue;
      const handle = await open(segment.path, 'r');
      let start: number;
      try {
        // the line ends with the segment's last byte, a newline: it starts after the newline before that
        start = await lineStartBefore(handle, segment.size - 1);
      } finally {
        await handle.close();
      }
      return this.readLine(segment.start + start);
    }
    return null;
  }

  /** Waits for queued appends and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.idle();
    await this.#handle.close();
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
    const current = this.#segments.at(-1)!;
    const start = current.start + current.size;
    await this.#handle.close();
    const path = join(this.dir, segmentName(start));
    this.#handle = await open(path, APPEND_DURABLE);
    await syncDirectory(this.dir);
    this.#segments.push({ start, size: 0, path });
  }
}
