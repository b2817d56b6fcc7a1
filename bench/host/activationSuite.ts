/**
 * Runs inside a real VS Code extension host (code-server's, through the test host's runner), loaded as
 * the "test suite" by bench/activation.ts. For the extension under test it measures, in this order:
 *   load     - require() of the extension's main file (done here, so it can be timed apart),
 *   activate - the extension's own activate() call, timed by a wrapper put in place of the module's
 *              exports in require.cache before VS Code activates it,
 *   total    - `await extension.activate()`: what VS Code spends around it (activation events, context),
 *   warm     - activate() called again on a fresh context after deactivate() + disposing everything.
 * The result is printed as one line `@@BENCH-HOST {json}`.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { MARK, OUR_ID, type HostTiming } from './constants';

type Ctx = vscode.ExtensionContext;
interface ExtModule {
  activate(ctx: Ctx): unknown;
  deactivate?(): unknown;
}

function disposeAll(subs: { dispose(): unknown }[]): void {
  while (subs.length) {
    try {
      subs.pop()?.dispose();
    } catch {
      // keep going
    }
  }
}

async function measure(id: string, warmRounds: number): Promise<HostTiming> {
  const ext = vscode.extensions.getExtension(id);
  if (!ext) return { id, found: false, wasActive: false };
  const result: HostTiming = { id, found: true, wasActive: ext.isActive };
  if (ext.isActive) return result;
  try {
    // The extension host loads an extension's main module with Node's require(): loaded here first, its
    // cached exports can be replaced by a timing wrapper before VS Code calls activate().
    const load = createRequire(__filename);
    const main = load.resolve(path.join(ext.extensionPath, String((ext.packageJSON as { main?: string }).main ?? 'extension.js')));
    let t = performance.now();
    const mod = load(main) as ExtModule;
    result.loadMs = performance.now() - t;
    let captured: { ctx: Ctx; ms: number } | undefined;
    const original = mod.activate.bind(mod);
    const cached = load.cache[main];
    if (cached) {
      cached.exports = {
        activate(ctx: Ctx): unknown {
          const t0 = performance.now();
          try {
            return original(ctx);
          } finally {
            captured = { ctx, ms: performance.now() - t0 };
          }
        },
        deactivate: mod.deactivate?.bind(mod),
      } satisfies ExtModule;
    }
    t = performance.now();
    await ext.activate();
    result.extActivateMs = performance.now() - t;
    if (captured) {
      result.activateCallMs = captured.ms;
      // Warm rounds: tear everything down, then activate again on a fresh context.
      const warm: number[] = [];
      for (let i = 0; i < warmRounds; i++) {
        mod.deactivate?.();
        disposeAll(captured.ctx.subscriptions);
        const ctx = Object.create(captured.ctx, { subscriptions: { value: [] } }) as Ctx;
        const t0 = performance.now();
        original(ctx);
        warm.push(performance.now() - t0);
        captured = { ctx, ms: captured.ms };
      }
      result.warmMs = warm;
    } else {
      result.error = 'the extension host did not load the main module through require(): activate() could not be timed alone';
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  }
  return result;
}

export async function run(): Promise<void> {
  const rounds = Number(process.env.BENCH_WARM_ROUNDS ?? 20);
  const results: HostTiming[] = [await measure(OUR_ID, rounds)];
  console.log(`${MARK}${JSON.stringify({ vscode: vscode.version, node: process.version, results })}`);
}
