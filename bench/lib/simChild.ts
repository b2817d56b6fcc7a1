/**
 * The OneLogin simulator (test/mock-onelogin) in a process of its own, scripted over IPC, so that the
 * CPU time and memory measured in the benchmark process are the extension's only. Started by
 * remoteSim.ts with fork(); listens on 127.0.0.1 only. The request log is cleared every second
 * (counts are kept), so a long run does not grow the simulator's memory.
 */
import { startSimulator, type SimStatus, type SimulatorOptions, type SimVerificationInit, type Simulator } from '../../test/mock-onelogin/server';

export interface SimCall {
  id: number;
  op: 'addVerifications' | 'setStatus' | 'stats' | 'polls' | 'resetStats' | 'close';
  args?: unknown;
}

export interface SimStats {
  requests: number;
  byStatus: Record<string, number>;
  /** CPU time of the simulator process since start, ms. */
  cpuMs: number;
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
  const sim: Simulator = await startSimulator(opts);
  let requests = 0;
  let byStatus: Record<string, number> = {};
  sim.on('response', (r) => {
    requests++;
    const k = String(r.status);
    byStatus[k] = (byStatus[k] ?? 0) + 1;
  });
  const clear = setInterval(() => sim.clearRequests(), 1000);
  clear.unref();

  const handle = async (call: SimCall): Promise<unknown> => {
    switch (call.op) {
      case 'addVerifications': {
        const { userId, inits } = call.args as { userId: string; inits: SimVerificationInit[] };
        return inits.map((init) => sim.addVerification(userId, init));
      }
      case 'setStatus': {
        const { userId, id, status } = call.args as { userId: string; id: string; status: SimStatus };
        sim.setStatus(userId, id, status);
        return performance.timeOrigin + performance.now();
      }
      case 'polls': {
        const { userId, ids } = call.args as { userId: string; ids: string[] };
        return ids.map((id) => sim.getVerification(userId, id)?.polls ?? 0);
      }
      case 'stats': {
        const cpu = process.cpuUsage();
        const stats: SimStats = { requests, byStatus: { ...byStatus }, cpuMs: (cpu.user + cpu.system) / 1000 };
        return stats;
      }
      case 'resetStats':
        requests = 0;
        byStatus = {};
        return undefined;
      case 'close':
        clearInterval(clear);
        await sim.close();
        setImmediate(() => process.exit(0));
        return undefined;
    }
  };

  process.on('message', (call: SimCall) => {
    handle(call).then(
      (value) => process.send?.({ id: call.id, ok: true, value }),
      (e: unknown) => process.send?.({ id: call.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => {
    void sim.close().then(() => process.exit(0));
  });
  process.send?.({ ready: true, url: sim.url });
}

main().catch((e: unknown) => {
  console.error('[bench sim]', e);
  process.exit(1);
});
