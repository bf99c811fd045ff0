import { CLOSE_ABNORMAL, CLOSE_NO_STATUS, CLOSE_NORMAL, CLOSE_PROTOCOL_ERROR, describeCloseCode } from '@closewatch/conventions';
import { roundMs, type ProbeClock } from './clock.js';
import { decodeClosePayload, encodeClientFrame, encodeClosePayload, OPCODE, readFrame, type Frame } from './frame-codec.js';
import { previewFirstMessage } from './first-message.js';
import { CLOSE_REPLY_WAIT_MS } from './options.js';
import type { HoldEnd, HoldStep } from './report.js';
import type { SocketTap, TcpEnd } from './socket-tap.js';

/** What a browser's close event reports when the connection ended without a close frame. */
const PROBE_CLOSE_REASON = 'closewatch probe done';
/** How long the probe lets the server close TCP after the closing handshake, before closing it itself. */
const TCP_CLOSE_GRACE_MS = 500;

export interface HoldPlan {
  holdMs: number;
  pingIntervalMs: number | null;
  openedAtMs: number;
  /** Aborted when the user wants the hold to end now (Ctrl-C). */
  interrupt?: AbortSignal;
}

export function emptyHoldStep(requestedMs: number, pingIntervalMs: number | null): HoldStep {
  return {
    status: 'not_reached',
    startMs: null,
    durationMs: null,
    error: null,
    requestedMs,
    heldMs: null,
    interrupted: false,
    endedBy: null,
    end: null,
    closeCode: null,
    closeReason: null,
    closeCodeDescription: null,
    closeHandshake: null,
    idleBeforeEndMs: null,
    pingIntervalMs,
    pingsSent: 0,
    pongsReceived: 0,
    lastPingRttMs: null,
    pingsReceived: 0,
    messagesReceived: 0,
    bytesReceived: 0,
    firstMessage: null,
  };
}

/**
 * Keeps the open connection as a quiet browser tab would (answering pings, optionally sending its own)
 * until the hold elapses or the other side ends it, and records exactly how it ended.
 */
export async function holdConnection(tap: SocketTap, plan: HoldPlan, clock: ProbeClock): Promise<HoldStep> {
  const hold = new HoldLoop(tap, plan, clock);
  return hold.run();
}

class HoldLoop {
  readonly step: HoldStep;
  #tap: SocketTap;
  #plan: HoldPlan;
  #clock: ProbeClock;
  #pending: Buffer = Buffer.alloc(0);
  #lastFrameAt: number;
  #nextPingAt: number;
  #pingSentAt = new Map<string, number>();
  #closeSentAt: number | null = null;
  #done = false;

  constructor(tap: SocketTap, plan: HoldPlan, clock: ProbeClock) {
    this.#tap = tap;
    this.#plan = plan;
    this.#clock = clock;
    this.step = { ...emptyHoldStep(plan.holdMs, plan.pingIntervalMs), status: 'ok', startMs: roundMs(plan.openedAtMs) };
    this.#lastFrameAt = plan.openedAtMs;
    this.#nextPingAt = plan.pingIntervalMs === null ? Number.POSITIVE_INFINITY : plan.openedAtMs + plan.pingIntervalMs;
  }

  async run(): Promise<HoldStep> {
    const holdEndAt = this.#plan.openedAtMs + this.#plan.holdMs;
    const interrupt = this.#plan.interrupt;
    const wakeTap = () => this.#tap.wake();
    interrupt?.addEventListener('abort', wakeTap, { once: true });
    // Bounded: every pass either ends the loop or waits for new bytes or the next timer, and the timers end it.
    while (!this.#done) {
      this.#readFrames();
      if (this.#done) break;
      const now = this.#clock.now();
      if (this.#tap.ended) {
        this.#onTcpEnd(this.#tap.ended);
        break;
      }
      if (this.#closeSentAt === null && (now >= holdEndAt || interrupt?.aborted)) {
        this.step.interrupted = now < holdEndAt;
        this.#sendClose(now);
      }
      if (this.#closeSentAt !== null && now >= this.#closeSentAt + CLOSE_REPLY_WAIT_MS) {
        this.#finishWithoutReply();
        break;
      }
      if (this.#closeSentAt === null && now >= this.#nextPingAt) this.#sendPing(now);
      const wakeAt = this.#closeSentAt === null ? Math.min(holdEndAt, this.#nextPingAt) : this.#closeSentAt + CLOSE_REPLY_WAIT_MS;
      await this.#tap.changed(wakeAt - now);
    }
    interrupt?.removeEventListener('abort', wakeTap);
    await this.#closeTcp();
    this.#settleStatus();
    this.step.durationMs = roundMs(this.#clock.now() - this.#plan.openedAtMs);
    return this.step;
  }

  /** The step is ok only when the connection stayed up for the whole hold and closed cleanly. */
  #settleStatus(): void {
    if (this.step.closeCode !== null) {
      const info = describeCloseCode(this.step.closeCode);
      this.step.closeCodeDescription = `${info.name}: ${info.meaning}`;
    }
    if (this.step.end !== 'hold_elapsed') this.step.status = 'failed';
    else if (this.step.closeHandshake === 'no_reply') {
      this.step.status = 'failed';
      this.step.error = {
        code: 'CLOSE_NO_REPLY',
        message: `the server did not answer the probe's close frame (it closed TCP first, or stayed silent for ${CLOSE_REPLY_WAIT_MS} ms)`,
      };
    }
  }

  #readFrames(): void {
    this.#pending = Buffer.concat([this.#pending, this.#tap.take()]);
    while (!this.#done) {
      const read = readFrame(this.#pending);
      if ('incomplete' in read) return;
      if ('error' in read) {
        this.#failProtocol(read.error);
        return;
      }
      this.#pending = this.#pending.subarray(read.bytesUsed);
      this.#onFrame(read.frame);
    }
  }

  #onFrame(frame: Frame): void {
    const now = this.#clock.now();
    const idleMs = now - this.#lastFrameAt;
    this.#lastFrameAt = now;
    if (frame.masked) {
      this.#failProtocol('the server masked a frame; RFC 6455 forbids it and browsers fail the connection');
      return;
    }
    switch (frame.opcode) {
      case OPCODE.ping:
        this.step.pingsReceived++;
        this.#tap.write(encodeClientFrame(OPCODE.pong, frame.payload));
        return;
      case OPCODE.pong:
        this.#onPong(frame, now);
        return;
      case OPCODE.close:
        this.#onCloseFrame(frame, now, idleMs);
        return;
      case OPCODE.text:
      case OPCODE.binary:
      case OPCODE.continuation:
        this.step.bytesReceived += frame.payload.length;
        if (frame.fin) this.step.messagesReceived++;
        this.step.firstMessage ??= previewFirstMessage(frame);
        return;
      default:
        this.#failProtocol(`the server sent unknown opcode 0x${frame.opcode.toString(16)}`);
    }
  }

  #onPong(frame: Frame, now: number): void {
    const sentAt = this.#pingSentAt.get(frame.payload.toString('latin1'));
    if (sentAt === undefined) return;
    this.step.pongsReceived++;
    this.step.lastPingRttMs = roundMs(now - sentAt);
  }

  #onCloseFrame(frame: Frame, now: number, idleMs: number): void {
    const { code, reason } = decodeClosePayload(frame.payload);
    this.#done = true;
    this.step.closeHandshake = 'completed';
    if (this.#closeSentAt !== null) return;
    this.#tap.write(encodeClientFrame(OPCODE.close, code === CLOSE_NO_STATUS ? Buffer.alloc(0) : encodeClosePayload(code)));
    this.#endWith('remote', 'close_frame', now, idleMs);
    this.step.closeCode = code;
    this.step.closeReason = reason;
  }

  #onTcpEnd(ended: TcpEnd): void {
    if (this.#closeSentAt !== null) {
      // The server closed TCP instead of answering our close frame.
      this.step.closeHandshake = 'no_reply';
      this.step.closeCode = CLOSE_ABNORMAL;
      return;
    }
    const end: HoldEnd = ended.kind === 'fin' ? 'tcp_fin' : ended.kind === 'reset' ? 'tcp_reset' : 'socket_error';
    this.#endWith('remote', end, ended.atMs, ended.atMs - this.#lastFrameAt);
    this.step.closeHandshake = 'not_attempted';
    this.step.closeCode = CLOSE_ABNORMAL;
    if (ended.kind === 'error') this.step.error = { code: ended.code ?? 'ERROR', message: ended.message ?? 'socket error' };
  }

  #sendClose(now: number): void {
    this.#endWith('probe', 'hold_elapsed', now, now - this.#lastFrameAt);
    this.#closeSentAt = now;
    this.step.closeCode = CLOSE_NORMAL;
    this.step.closeReason = PROBE_CLOSE_REASON;
    this.#tap.write(encodeClientFrame(OPCODE.close, encodeClosePayload(CLOSE_NORMAL, PROBE_CLOSE_REASON)));
  }

  #sendPing(now: number): void {
    const payload = `cw-${this.step.pingsSent + 1}`;
    this.#pingSentAt.set(payload, now);
    this.step.pingsSent++;
    this.#lastFrameAt = now;
    this.#nextPingAt += this.#plan.pingIntervalMs ?? Number.POSITIVE_INFINITY;
    this.#tap.write(encodeClientFrame(OPCODE.ping, Buffer.from(payload, 'latin1')));
  }

  #finishWithoutReply(): void {
    this.step.closeHandshake = 'no_reply';
    this.step.closeCode = CLOSE_ABNORMAL;
  }

  #failProtocol(message: string): void {
    const now = this.#clock.now();
    this.#done = true;
    this.step.status = 'failed';
    this.step.error = { code: 'PROTOCOL_ERROR', message };
    this.#endWith('probe', 'protocol_error', now, now - this.#lastFrameAt);
    this.step.closeCode = CLOSE_PROTOCOL_ERROR;
    this.#tap.write(encodeClientFrame(OPCODE.close, encodeClosePayload(CLOSE_PROTOCOL_ERROR)));
  }

  #endWith(endedBy: 'probe' | 'remote', end: HoldEnd, atMs: number, idleMs: number): void {
    this.step.endedBy = endedBy;
    this.step.end = end;
    // The end may have arrived with the 101 itself, a moment before the hold started.
    this.step.heldMs = roundMs(Math.max(0, atMs - this.#plan.openedAtMs));
    this.step.idleBeforeEndMs = roundMs(Math.max(0, idleMs));
  }

  /** After the closing handshake the server should close TCP first (RFC 6455 §7.1.1); give it a moment. */
  async #closeTcp(): Promise<void> {
    if (!this.#tap.ended) {
      this.#tap.socket.end();
      await this.#tap.changed(TCP_CLOSE_GRACE_MS);
    }
    this.#tap.destroy();
  }
}
