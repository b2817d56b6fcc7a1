/**
 * (3) Status-check overhead: one GET /api/2/mfa/users/{u}/verifications/{id} against the simulator
 * (in its own process), made
 *   - by the extension's OneLoginClient (validation, axios, redaction, Exchange record, parsing),
 *   - by the same client with the extension's per-exchange work (log line + the panel's ExchangeLog view),
 *   - by bare node:http + JSON.parse (the floor),
 *   - by the client's own axios instance alone + JSON.parse (the floor of a client built on axios),
 *   - by @onelogin/sdk 1.0.9's generic client.Do (its inner axios re-pointed at http://127.0.0.1, the
 *     token set directly, its console.log silenced).
 * Calls are interleaved round by round (order rotated), all on Node's default keep-alive agent.
 * Wall time per call (median) and CPU per call (process.cpuUsage over a sequential batch).
 */
import * as http from 'node:http';
import { Client as SdkClient } from '@onelogin/sdk';
import { logExchange, type LogSink } from '../src/records/log';
import { OneLoginClient } from '../src/onelogin/client';
import { createHttp, DEFAULT_MAX_RESPONSE_BYTES } from '../src/onelogin/transport';
import { ExchangeLog } from '../src/records/exchangeLog';
import { startRemoteSim } from './lib/remoteSim';
import { fmt, median, na, now, ratio, row, spread } from './lib/stats';
import type { Area, Metric } from './lib/types';

const A = 'status';
const TOKEN = 'bench-token';
const USER = '1001';

type Call = () => Promise<string>;

function bareGet(url: string, path: string): Call {
  const { hostname, port } = new URL(url);
  return () =>
    new Promise<string>((resolve, reject) => {
      const req = http.request({ hostname, port, path, method: 'GET', headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
            const item = (Array.isArray(body) ? body[0] : body) as { status?: string };
            resolve(String(item.status));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

/** The client's axios instance, with nothing of the client around it: what any axios-based client pays. */
function axiosGet(url: string, path: string): Call {
  const http = createHttp(url, DEFAULT_MAX_RESPONSE_BYTES);
  return async () => {
    const r = await http.request<string>({ method: 'GET', url: path, headers: { Authorization: `Bearer ${TOKEN}` } });
    const body = JSON.parse(r.data) as unknown;
    return String(((Array.isArray(body) ? body[0] : body) as { status?: string }).status);
  };
}

interface SdkInner {
  accessToken: string;
  client: { Configure(config: { baseURL: string; timeout: number; headers: object }): void };
  Do(req: { url: string; method: 'GET' }): Promise<{ status?: number; data?: unknown }>;
}

/** The SDK pointed at the plain-HTTP simulator, as the reference doc describes; throws when that fails. */
async function sdkCall(url: string, path: string): Promise<Call> {
  const sdk = new SdkClient({ clientID: 'bench-id', clientSecret: 'bench-secret', baseURL: 'https://127.0.0.1', timeout: 3000 });
  const inner = sdk.client as unknown as SdkInner;
  inner.client.Configure({ baseURL: url, timeout: 3000, headers: { common: { Accept: 'application/json', 'Content-Type': 'application/json' } } });
  inner.accessToken = TOKEN;
  const call: Call = async () => {
    const log = console.log;
    console.log = () => undefined; // the SDK logs every request
    try {
      const r = await inner.Do({ url: path, method: 'GET' });
      if (r.status !== 200) throw new Error(`SDK call answered ${r.status ?? 'no status'}`);
      const item = (Array.isArray(r.data) ? r.data[0] : r.data) as { status?: string };
      return String(item.status);
    } finally {
      console.log = log;
    }
  };
  if ((await call()) !== 'pending') throw new Error('the SDK call did not return the verification status');
  return call;
}

/** CPU ms per call over `n` sequential calls. */
async function cpuPerCall(call: Call, n: number): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}

export const status: Area = async ({ quick }, log) => {
  const sim = await startRemoteSim({ accessTokens: [TOKEN], rateLimit: { limit: 1_000_000, windowMs: 3_600_000 } });
  try {
    const [id] = await sim.addVerifications(USER, [{}]);
    const path = `/api/2/mfa/users/${USER}/verifications/${id}`;
    const creds = (): Promise<{ kind: 'accessToken'; accessToken: string }> => Promise.resolve({ kind: 'accessToken', accessToken: TOKEN });
    const client = new OneLoginClient({ baseUrl: sim.url, getCredentials: creds });
    const sink: LogSink = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const exchanges = new ExchangeLog();
    const piped = new OneLoginClient({ baseUrl: sim.url, getCredentials: creds, onExchange: (ex) => (logExchange(sink, ex), exchanges.add(ex)) });

    const calls: Record<string, Call> = {
      client: async () => (await client.getVerificationStatus(USER, id)).status,
      pipeline: async () => (await piped.getVerificationStatus(USER, id)).status,
      bare: bareGet(sim.url, path),
      axios: axiosGet(sim.url, path),
    };
    let sdkProblem: string | undefined;
    try {
      calls.sdk = await sdkCall(sim.url, path);
    } catch (e) {
      sdkProblem = e instanceof Error ? e.message : String(e);
    }
    const names = Object.keys(calls);
    for (const n of names) for (let i = 0; i < 30; i++) if ((await calls[n]()) !== 'pending') throw new Error(`${n}: unexpected status`);

    const rounds = quick ? 60 : 300;
    log(`${rounds} interleaved rounds of ${names.join(', ')}`);
    const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < names.length; k++) {
        const n = names[(r + k) % names.length];
        const t = now();
        await calls[n]();
        wall[n].push(now() - t);
      }
    }
    const [batches, batch] = quick ? [4, 50] : [10, 100];
    log(`CPU: ${batches} rounds of ${batch} sequential calls per way, order rotated`);
    const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let b = 0; b < batches; b++) {
      for (let k = 0; k < names.length; k++) {
        const n = names[(b + k) % names.length];
        cpu[n].push(await cpuPerCall(calls[n], batch));
      }
    }

    const m = (n: string): number => median(wall[n]);
    const cm = (n: string): number => median(cpu[n]);
    const rows: Metric[] = [
      row(A, 'status GET, bare node:http + JSON.parse (baseline)', wall.bare, 'ms', `${spread(wall.bare)}; CPU ${fmt(cm('bare') * 1000)} µs/call`, { cpuMs: cpu.bare }),
      row(A, "status GET, axios alone (the client's instance, nothing around it)", wall.axios, 'ms', `${ratio(m('axios'), m('bare'))} bare; CPU ${fmt(cm('axios') * 1000)} µs/call = ${ratio(cm('axios'), cm('bare'))} bare: the floor of any client built on axios`, { cpuMs: cpu.axios }),
      row(A, 'status GET, extension client (OneLoginClient)', wall.client, 'ms', `${ratio(m('client'), m('bare'))} bare${calls.sdk ? `, ${ratio(m('client'), m('sdk'))} SDK` : ''}; CPU ${fmt(cm('client') * 1000)} µs/call = ${ratio(cm('client'), cm('bare'))} bare${calls.sdk ? `, ${ratio(cm('client'), cm('sdk'))} SDK` : ''}, ${ratio(cm('client'), cm('axios'))} axios alone`, { cpuMs: cpu.client }),
      row(A, 'status GET, client + log line + panel view (ExchangeLog)', wall.pipeline, 'ms', `${ratio(m('pipeline'), m('bare'))} bare; CPU ${fmt(cm('pipeline') * 1000)} µs/call = ${ratio(cm('pipeline'), cm('bare'))} bare`, { cpuMs: cpu.pipeline }),
    ];
    if (calls.sdk) {
      rows.push(row(A, 'status GET, @onelogin/sdk 1.0.9 client.Do', wall.sdk, 'ms', `${ratio(m('sdk'), m('bare'))} bare; CPU ${fmt(cm('sdk') * 1000)} µs/call = ${ratio(cm('sdk'), cm('bare'))} bare; inner axios re-pointed at http, token set directly`, { cpuMs: cpu.sdk }));
    } else {
      rows.push(na(A, 'status GET, @onelogin/sdk 1.0.9 client.Do', 'ms', `could not be driven against the simulator: ${sdkProblem}`));
    }
    return rows;
  } finally {
    await sim.close();
  }
};
