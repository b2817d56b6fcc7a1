/** Parent side of simChild.ts: start the simulator in its own process and script it. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SimStatus, SimulatorOptions, SimVerificationInit } from '../../test/mock-onelogin/server';
import type { SimCall, SimStats } from './simChild';

export interface RemoteSim {
  readonly url: string;
  readonly pid: number;
  addVerifications(userId: string, inits: SimVerificationInit[]): Promise<string[]>;
  /** Flips a verification; resolves with the simulator's clock (epoch ms, sub-ms) at the flip. */
  setStatus(userId: string, id: string, status: SimStatus): Promise<number>;
  /** Status GETs each verification received. */
  polls(userId: string, ids: string[]): Promise<number[]>;
  stats(): Promise<SimStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Options must be serialisable (no `now`, no `log`). */
export async function startRemoteSim(opts: Omit<SimulatorOptions, 'now' | 'log'> = {}): Promise<RemoteSim> {
  const child: ChildProcess = fork(join(__dirname, 'simChild.js'), [JSON.stringify(opts)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const url = await new Promise<string>((resolve, reject) => {
    const onMessage = (m: { ready?: boolean; url?: string }): void => {
      if (m.ready && m.url) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m.url);
      }
    };
    const onExit = (code: number | null): void => reject(new Error(`simulator process exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error));
  });
  child.on('exit', () => {
    for (const p of pending.values()) p.reject(new Error('simulator process exited'));
    pending.clear();
  });
  const call = <T>(op: SimCall['op'], args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, args } satisfies SimCall);
    });
  let closed: Promise<void> | undefined;
  return {
    url,
    pid: child.pid ?? 0,
    addVerifications: (userId, inits) => call<string[]>('addVerifications', { userId, inits }),
    setStatus: (userId, id, status) => call<number>('setStatus', { userId, id, status }),
    polls: (userId, ids) => call<number[]>('polls', { userId, ids }),
    stats: () => call<SimStats>('stats'),
    resetStats: () => call<void>('resetStats'),
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        call('close').catch(() => child.kill());
      })),
  };
}
