// Writing replies onto the wire: at once, late, slowly, half then reset, or a huge streamed body.
// Every timer goes through a Timers owner so close() can cancel what is still scheduled.

import type { ServerResponse } from 'node:http';
import { JSON_TYPE, type Delivery, type Reply } from './replies';

export class Timers {
  private readonly live = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.live.delete(t);
      fn();
    }, ms);
    this.live.add(t);
    return t;
  }

  cancel(t: NodeJS.Timeout): void {
    clearTimeout(t);
    this.live.delete(t);
  }

  cancelAll(): void {
    for (const t of this.live) clearTimeout(t);
    this.live.clear();
  }
}

/** One response in the making: where it goes and what every response carries. */
export interface Wire {
  res: ServerResponse;
  timers: Timers;
  /** x-request-id and the rate-limit headers, computed when the head is written. */
  baseHeaders: () => Record<string, string>;
  /** Told the status just before the head is written (the request log and SimRequest.status). */
  onStatus: (status: number) => void;
}

/** False once the client went away or the reply was finished: writing then would only raise errors. */
function writable(res: ServerResponse): boolean {
  return !res.destroyed && !res.writableEnded;
}

function writeHead(wire: Wire, reply: Reply, length: number): void {
  const all = wire.baseHeaders();
  for (const name of reply.omitHeaders ?? []) delete all[name];
  if (reply.contentType) all['content-type'] = reply.contentType;
  Object.assign(all, reply.headers ?? {});
  all['content-length'] = String(length);
  wire.onStatus(reply.status);
  wire.res.writeHead(reply.status, all);
}

export function deliver(wire: Wire, reply: Reply, how: Delivery): void {
  switch (how.mode) {
    case 'now':
      return sendNow(wire, reply);
    case 'slow':
      wire.timers.after(how.delayMs, () => sendNow(wire, reply));
      return;
    case 'trickle':
      return sendTrickle(wire, reply, how.bytesPerSecond);
    case 'reset':
      return sendThenReset(wire, reply);
  }
}

function sendNow(wire: Wire, reply: Reply): void {
  if (!writable(wire.res)) return;
  const body = Buffer.from(reply.body);
  writeHead(wire, reply, body.length);
  wire.res.end(body);
}

/** Headers at once, then the body a few bytes at a time: the pace a stuck proxy or a bad link gives. */
function sendTrickle(wire: Wire, reply: Reply, bytesPerSecond: number): void {
  const { res, timers } = wire;
  if (!writable(res)) return;
  const body = Buffer.from(reply.body);
  writeHead(wire, reply, body.length);
  res.flushHeaders();
  const rate = Math.max(bytesPerSecond, 0.001);
  const chunk = Math.max(1, Math.ceil(rate / 20));
  const intervalMs = (chunk / rate) * 1000;
  let offset = 0;
  const step = (): void => {
    if (!writable(res)) return;
    const next = body.subarray(offset, offset + chunk);
    offset += next.length;
    if (offset >= body.length) {
      res.end(next);
      return;
    }
    res.write(next);
    timers.after(intervalMs, step);
  };
  timers.after(intervalMs, step);
}

/** Promise a full body, send half of it, then reset the connection (the client sees ECONNRESET). */
function sendThenReset(wire: Wire, reply: Reply): void {
  const res = wire.res;
  if (!writable(res)) return;
  // At least two bytes, so "part of the body" is never the whole of it.
  const body = Buffer.from(reply.body.length >= 2 ? reply.body : `${reply.body}  `);
  writeHead(wire, reply, body.length);
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    const socket = res.socket;
    if (socket && !socket.destroyed) socket.resetAndDestroy();
  });
}

const PAD = Buffer.alloc(64 * 1024, 'x');

/**
 * A valid JSON body of exactly `bytes` bytes (`{"padding":"xxx…"}`), streamed in 64 KiB chunks with
 * backpressure, so a 50 MB reply costs 64 KiB of memory and stops as soon as the client gives up.
 */
export function sendHuge(wire: Wire, bytes: number): void {
  const res = wire.res;
  if (!writable(res)) return;
  const size = Math.max(0, Math.floor(bytes));
  const head = size >= 14 ? '{"padding":"' : '';
  const tail = size >= 14 ? '"}' : '';
  const fill = size - head.length - tail.length;
  writeHead(wire, { status: 200, body: '', contentType: JSON_TYPE }, size);
  res.write(head);
  let left = fill;
  const pump = (): void => {
    while (left > 0 && writable(res)) {
      const n = Math.min(left, PAD.length);
      left -= n;
      // Below 14 bytes there is no room for the object: the body is that many spaces.
      const ok = res.write(head ? PAD.subarray(0, n) : Buffer.alloc(n, ' '));
      if (!ok) {
        res.once('drain', pump);
        return;
      }
    }
    if (left <= 0 && writable(res)) res.end(tail);
  };
  pump();
}
