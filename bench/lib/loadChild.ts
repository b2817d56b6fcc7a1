/**
 * One fresh Node process per sample (forked by bench/activation.ts), so each module load is cold:
 *   bundle <path>  - require() time of the bundle (with the vscode stub), then activate() on a stub
 *                    context (cold: the first call), then 20 warm activate()/dispose rounds;
 *   axios          - require() time of axios alone (the baseline: the bundle carries axios);
 *   audit <path>   - loads the bundle, then runs activate() once with async_hooks and fs *Sync counters
 *                    on, and reports the I/O resources, timers and sync fs calls it caused.
 */
import { createHook } from 'node:async_hooks';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { createVscodeStub, installVscodeStub } from './vscodeStub';

export interface LoadResult {
  loadMs: number;
  activateMs?: number;
  warmActivateMs?: number[];
  io?: { resources: Record<string, number>; timers: number; fsSyncCalls: Record<string, number>; timersLeft: number };
  missingApi?: string[];
  error?: string;
}

const IO_TYPES = new Set([
  'FSREQCALLBACK', 'FSREQPROMISE', 'FILEHANDLE', 'FILEHANDLECLOSEREQ', 'FSEVENTWRAP', 'STATWATCHER', 'DIRHANDLE',
  'TCPWRAP', 'TCPCONNECTWRAP', 'TCPSERVERWRAP', 'PIPEWRAP', 'PIPECONNECTWRAP', 'PIPESERVERWRAP', 'GETADDRINFOREQWRAP',
  'GETNAMEINFOREQWRAP', 'HTTPCLIENTREQUEST', 'HTTPINCOMINGMESSAGE', 'TLSWRAP', 'UDPWRAP', 'UDPSENDWRAP', 'PROCESSWRAP',
  'WRITEWRAP', 'SHUTDOWNWRAP', 'ZLIB', 'WORKER', 'SIGNALWRAP', 'TTYWRAP', 'QUERYWRAP',
]);

const load = createRequire(__filename);

type Activate = (ctx: unknown) => unknown;
type Deactivate = () => unknown;

function dispose(subs: { dispose(): void }[]): void {
  while (subs.length) subs.pop()?.dispose();
}

async function main(): Promise<LoadResult> {
  const [mode, bundle] = process.argv.slice(2);
  if (mode === 'axios') {
    const t0 = performance.now();
    load('axios');
    return { loadMs: performance.now() - t0 };
  }
  const stub = createVscodeStub();
  installVscodeStub(stub);
  const t0 = performance.now();
  const mod = load(bundle) as { activate: Activate; deactivate?: Deactivate };
  const loadMs = performance.now() - t0;
  const root = process.cwd();

  if (mode === 'audit') {
    const resources: Record<string, number> = {};
    let timers = 0;
    let on = false;
    const hook = createHook({
      init(_id, type) {
        if (!on) return;
        if (type === 'Timeout') timers++;
        else if (IO_TYPES.has(type)) resources[type] = (resources[type] ?? 0) + 1;
      },
    });
    const fsSyncCalls: Record<string, number> = {};
    const fsRecord = fs as unknown as Record<string, unknown>;
    for (const key of Object.keys(fsRecord)) {
      const fn = fsRecord[key];
      if (!key.endsWith('Sync') || typeof fn !== 'function') continue;
      fsRecord[key] = function (this: unknown, ...args: unknown[]) {
        if (on) fsSyncCalls[key] = (fsSyncCalls[key] ?? 0) + 1;
        return (fn as (...a: unknown[]) => unknown).apply(this, args);
      };
    }
    const ctx = stub.context(root);
    hook.enable();
    on = true;
    mod.activate(ctx);
    // Anything activate() started asynchronously shows up within a few turns of the loop.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    on = false;
    hook.disable();
    const timersLeft = process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length;
    mod.deactivate?.();
    dispose(ctx.subscriptions);
    return { loadMs, io: { resources, timers, fsSyncCalls, timersLeft }, missingApi: [...stub.missing] };
  }

  // mode 'bundle': cold activate, then warm rounds.
  const ctx = stub.context(root);
  const t1 = performance.now();
  mod.activate(ctx);
  const activateMs = performance.now() - t1;
  mod.deactivate?.();
  dispose(ctx.subscriptions);
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const c = stub.context(root);
    const t = performance.now();
    mod.activate(c);
    warm.push(performance.now() - t);
    mod.deactivate?.();
    dispose(c.subscriptions);
  }
  return { loadMs, activateMs, warmActivateMs: warm, missingApi: [...stub.missing] };
}

main().then(
  (r) => process.send?.(r, () => process.exit(0)),
  (e: unknown) => process.send?.({ loadMs: NaN, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies LoadResult, () => process.exit(1)),
);
