/**
 * (7) Panel: the real webview script (dist/webview/panel.js + media/panel.css) in Debian's Chromium through
 * playwright-core, under the HTML and CSP the extension generates (src/panel/html.ts), with a fake
 * acquireVsCodeApi. Messages are built the host's way (src/records/exchangeLog.ts, src/panel/snapshot.ts) from real Exchange
 * objects recorded by the extension's client against the simulator. Each run loads a fresh page, posts
 * the message with window.postMessage (as VS Code delivers it), and times with performance.now() in the
 * page until the DOM shows the result (a condition, not a sleep), then until layout and the next frame.
 * Baseline in the same page: the bare DOM doing the minimum (one <pre> with the same text; 1,000 plain
 * <details> rows). Message sizes are the UTF-8 bytes of their JSON (what VS Code serialises).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchBrowser } from '../scripts/test-host/browser';
import { makeRunDir, removeRunDir } from '../scripts/test-host/codeServer';
import type { Exchange } from '../src/onelogin/exchange';
import { OneLoginClient } from '../src/onelogin/client';
import { createNonce, panelHtml } from '../src/panel/html';
import type { ExchangeMessage, HistoryMessage, HostMessage, SnapshotMessage } from '../src/panel/messages';
import { buildSnapshot } from '../src/panel/snapshot';
import { ExchangeLog } from '../src/records/exchangeLog';
import { VerificationStore } from '../src/verification/store';
import type { HistoryEntry } from '../src/records/history';
import { startSimulator, type Simulator } from '../test/mock-onelogin/server';
import { fmt, median, na, now, ratio, row, single, spread } from './lib/stats';
import type { Area, Metric } from './lib/types';

const A = 'panel';
const ORIGIN = 'https://webview.test';
const TOKEN = 'bench-token';
const USER = '1001';
const bytes = (m: unknown): number => Buffer.byteLength(JSON.stringify(m), 'utf8');
const KiB = (n: number): number => Math.round(n / 102.4) / 10;

/** A 5 MB JSON body: a status reply followed by a long list of realistic records. */
function bigJson(targetBytes: number): string {
  const items: string[] = ['{"id":"406fefd4-8a36-4aee-880c-f3e4a928e27d","status":"pending","device_id":"3919988"}'];
  let size = items[0].length + 2;
  for (let i = 0; size < targetBytes; i++) {
    const s = JSON.stringify({ id: `${i.toString(16).padStart(8, '0')}-8a36-4aee-880c-f3e4a928e27d`, status: i % 3 ? 'pending' : 'accepted', device_id: String(3919988 + i), user_display_name: `User ${i} <img src=x onerror=alert(${i})>`, created_at: '2026-11-29T10:00:00Z', n: i * 1.5 });
    items.push(s);
    size += s.length + 1;
  }
  return `[${items.join(',')}]`;
}

interface Timing {
  script: number;
  layout: number;
  frame: number;
}

/** Runs inside the page: post `window.__msg` (or each of `window.__msgs`), wait until `selector` matches `count` nodes, then layout, then a frame. */
async function timeInPage(page: Page, selector: string, count: number): Promise<Timing> {
  return page.evaluate(
    async ({ selector, count }) => {
      const w = window as unknown as { __msg?: unknown; __msgs?: unknown[] };
      const ready = (): boolean => document.querySelectorAll(selector).length >= count;
      const t0 = performance.now();
      if (w.__msgs) for (const m of w.__msgs) window.postMessage(m, '*');
      else window.postMessage(w.__msg, '*');
      await new Promise<void>((resolve) => {
        if (ready()) return resolve();
        const obs = new MutationObserver(() => {
          if (ready()) {
            obs.disconnect();
            resolve();
          }
        });
        obs.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      const script = performance.now() - t0;
      void document.body.getBoundingClientRect().height; // style + layout
      const layout = performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      return { script, layout, frame: performance.now() - t0 };
    },
    { selector, count },
  );
}

/** The bare-DOM baseline: `html` built with textContent only, then layout and a frame. */
async function bareInPage(page: Page, kind: 'pre' | 'rows', text: string, rows: number): Promise<Timing> {
  return page.evaluate(
    async ({ kind, text, rows }) => {
      const t0 = performance.now();
      const host = document.createElement('div');
      if (kind === 'pre') {
        const pre = document.createElement('pre');
        pre.textContent = text;
        host.append(pre);
      } else {
        for (let i = 0; i < rows; i++) {
          const d = document.createElement('details');
          const s = document.createElement('summary');
          s.textContent = `GET /api/2/mfa/users/1001/verifications/${i} 200 OK`;
          d.append(s);
          host.append(d);
        }
      }
      document.body.append(host);
      const script = performance.now() - t0;
      void document.body.getBoundingClientRect().height;
      const layout = performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      return { script, layout, frame: performance.now() - t0 };
    },
    { kind, text, rows },
  );
}

/** Real exchanges: `verifications` × `each` status GETs through the extension's client, plus one 5 MB body. */
async function recordExchanges(sim: Simulator, verifications: number, each: number, big: string): Promise<{ small: Exchange[]; big: Exchange; bigClientMs: number[]; store: VerificationStore }> {
  const recorded: Exchange[] = [];
  const client = new OneLoginClient({ baseUrl: sim.url, getCredentials: () => Promise.resolve({ kind: 'accessToken', accessToken: TOKEN }), onExchange: (ex) => recorded.push(ex) });
  const store = new VerificationStore();
  for (let v = 0; v < verifications; v++) {
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: each } });
    for (let i = 1; i <= each; i++) {
      const r = await client.getVerificationStatus(USER, id);
      store.updateFromPoll({ phase: r.status, userId: USER, verificationId: id, attempt: i, expiresAt: Date.now() + 60_000, lastCheckedAt: Date.now(), lastHttpStatus: 200, deviceId: r.deviceId }, r.status === 'pending');
    }
  }
  const small = recorded.splice(0);
  const bigClientMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const id = sim.addVerification(USER, { faults: [{ kind: 'body', body: big, contentType: 'application/json' }] });
    const t = now();
    await client.getVerificationStatus(USER, id);
    bigClientMs.push(now() - t);
  }
  const bigEx = recorded[recorded.length - 1];
  return { small, big: bigEx, bigClientMs, store };
}

export const panel: Area = async ({ quick, root }, log) => {
  try {
    chromiumPath();
  } catch (e) {
    return [na(A, 'webview render', 'ms', e instanceof Error ? e.message.split('.')[0] : 'Chromium not found')];
  }
  const runs = quick ? 3 : 5;
  const sim = await startSimulator({ accessTokens: [TOKEN], rateLimit: { limit: 1_000_000, windowMs: 3_600_000 } });
  const big = bigJson(5 * 1024 * 1024);
  log('recording 1,000 status exchanges and a 5 MB body through the extension client');
  const rec = await recordExchanges(sim, 10, 100, big);
  await sim.close();

  // Host side: the 5 MB exchange through the panel's view model.
  const addMs: number[] = [];
  let bigMsg: ExchangeMessage | undefined;
  for (let i = 0; i < runs; i++) {
    const log5 = new ExchangeLog();
    const t = now();
    const { key, view, hiddenExchanges } = log5.add(rec.big);
    const msg: ExchangeMessage = { type: 'exchange', hostNow: Date.now(), key, exchange: view, hiddenExchanges };
    JSON.stringify(msg);
    addMs.push(now() - t);
    bigMsg = msg;
  }
  const uncapped = new ExchangeLog({ previewChars: Number.MAX_SAFE_INTEGER, snapshotBodyBudget: Number.MAX_SAFE_INTEGER }).add(rec.big);
  const uncappedMsg: ExchangeMessage = { type: 'exchange', hostNow: Date.now(), key: uncapped.key, exchange: uncapped.view, hiddenExchanges: 0 };

  const exLog = new ExchangeLog();
  for (const ex of rec.small) exLog.add(ex);
  const snapT = now();
  const snapshot: SnapshotMessage = buildSnapshot(rec.store.entries(), exLog, Date.now());
  const snapshotMs = now() - snapT;
  const liveLog = new ExchangeLog();
  const live: HostMessage[] = rec.small.map((ex) => {
    const { key, view, hiddenExchanges } = liveLog.add(ex);
    return { type: 'exchange', hostNow: Date.now(), key, exchange: view, hiddenExchanges } satisfies ExchangeMessage;
  });
  const t0 = Date.now();
  const entries: HistoryEntry[] = Array.from({ length: 500 }, (_, i) => ({ key: `${USER}/v${i}`, userId: USER, verificationId: `v${i}`, deviceId: '3919988', phase: i % 7 ? 'accepted' : 'expired', startedAt: t0 - 60_000 * (i + 1), endedAt: t0 - 60_000 * i, attempts: 1 + (i % 30), source: 'poll' }));
  const historyMsg: HistoryMessage = { type: 'history', hostNow: t0, history: { enabled: true, entries } };

  const runDir = makeRunDir('bench-web');
  const session = await launchBrowser(path.join(runDir, 't'));
  try {
    const browser: Browser = session.browser;
    const html = panelHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/dist/webview/panel.js`, styleUri: `${ORIGIN}/media/panel.css`, nonce: createNonce(), title: 'OneLogin MFA', strings: {} });
    /** Serves the panel's HTML and media, and stands in for VS Code's acquireVsCodeApi (recording setState). */
    const setUp = async (pg: Page): Promise<void> => {
      await pg.route(`${ORIGIN}/**`, async (route) => {
        const p = new URL(route.request().url()).pathname;
        if (p === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
        if (p === '/dist/webview/panel.js' || p === '/media/panel.css') return route.fulfill({ contentType: p.endsWith('.js') ? 'text/javascript' : 'text/css', body: fs.readFileSync(path.join(root, p)) });
        return route.fulfill({ status: 404, body: '' });
      });
      await pg.addInitScript(() => {
        const w = window as unknown as { __state: unknown; __stateBytes: number; __stateMs: number[]; acquireVsCodeApi: () => unknown };
        w.__stateBytes = 0;
        w.__stateMs = [];
        w.acquireVsCodeApi = () => ({
          postMessage: () => undefined,
          getState: () => w.__state,
          // VS Code's webview does JSON.stringify(state) here and posts it to the workbench.
          setState: (s: unknown) => {
            const t = performance.now();
            const json = JSON.stringify(s);
            w.__stateMs.push(performance.now() - t);
            w.__state = s;
            w.__stateBytes = new TextEncoder().encode(json).length;
          },
        });
      });
    };
    // One page, re-navigated before every run: a fresh document and script each time (a warm renderer).
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await setUp(page);
    const fresh = async (): Promise<Page> => {
      await page.goto(`${ORIGIN}/index.html`);
      await page.waitForFunction(() => document.getElementById('empty') !== null);
      return page;
    };
    const measure = async (label: string, setup: (p: Page) => Promise<void>, selector: string, count: number, n = runs, cold = false, saves = true): Promise<{ t: Timing[]; stateBytes: number; stateMs: number }> => {
      log(`${label}: ${n} runs`);
      const t: Timing[] = [];
      let stateBytes = 0;
      let stateMs = NaN;
      for (let i = 0; i < n; i++) {
        // Cold: a new page (a new renderer for the document), as when the panel opens.
        const pg = cold ? await browser.newPage({ viewport: { width: 1400, height: 900 } }) : page;
        try {
          if (cold) {
            await setUp(pg);
            await pg.goto(`${ORIGIN}/index.html`);
            await pg.waitForFunction(() => document.getElementById('empty') !== null);
          } else await fresh();
          await setup(pg);
          t.push(await timeInPage(pg, selector, count));
          if (i === 0 && saves) {
            await pg.waitForFunction(() => (window as unknown as { __stateBytes: number }).__stateBytes > 0, undefined, { timeout: 10_000 }).catch(() => undefined);
            [stateBytes, stateMs] = await pg.evaluate(() => {
              const w = window as unknown as { __stateBytes: number; __stateMs: number[] };
              return [w.__stateBytes, w.__stateMs[w.__stateMs.length - 1] ?? NaN];
            });
          }
        } finally {
          if (cold) await pg.close();
        }
      }
      return { t, stateBytes, stateMs };
    };
    const bare = async (kind: 'pre' | 'rows', text: string, rowsN: number): Promise<Timing[]> => {
      await fresh();
      const t: Timing[] = [];
      for (let i = 0; i < runs; i++) {
        t.push(await bareInPage(page, kind, text, rowsN));
        await page.evaluate(() => document.querySelector('body > div:last-child')?.remove());
      }
      return t;
    };
    const setMsg = (m: unknown) => (p: Page) => p.evaluate((msg) => void ((window as unknown as { __msg: unknown }).__msg = msg), m);
    const setMsgs = (ms: unknown[]) => (p: Page) => p.evaluate((list) => void ((window as unknown as { __msgs: unknown[] }).__msgs = list), ms);
    const frame = (t: Timing[]): number[] => t.map((x) => x.frame);
    const layout = (t: Timing[]): number[] => t.map((x) => x.layout);

    const msg5 = bigMsg as ExchangeMessage;
    const shown = msg5.exchange.body.length;
    const big5 = await measure('5 MB body', setMsg(msg5), `.exchange-body`, 1);
    const big5bare = await bare('pre', msg5.exchange.body, 0);
    const unc = await measure('5 MB body uncapped (one run: a what-if)', setMsg(uncappedMsg), `.exchange-body`, 1, 1);
    const snap = await measure('snapshot of 1,000 exchanges', setMsg(snapshot), 'details.exchange', 1000);
    const snapCold = await measure('snapshot of 1,000 exchanges, new page', setMsg(snapshot), 'details.exchange', 1000, Math.min(runs, 3), true);
    const rowsBare = await bare('rows', '', 1000);
    const liveT = await measure('1,000 live exchange messages', setMsgs(live), 'details.exchange', 1000);
    // A 'history' message is not part of the saved state (the panel saves groups and exchanges only).
    const hist = await measure('history of 500 entries', setMsg(historyMsg), '.history-entry', 500, runs, false, false);

    const liveBytes = live.reduce((n, m) => n + bytes(m), 0);
    const rows: Metric[] = [
      row(A, 'status GET with a 5 MB JSON body, extension client (host)', rec.bigClientMs, 'ms', `real HTTP from the simulator; body ${KiB(Buffer.byteLength(big))} KiB`),
      row(A, '5 MB body → panel message (ExchangeLog.add + JSON)', addMs, 'ms', `message ${KiB(bytes(msg5))} KiB: the body is cut to the ${KiB(shown)} KiB preview (previewChars); full body kept for Open in editor`),
      row(A, 'render the 5 MB-body exchange (to next frame)', frame(big5.t), 'ms', `${ratio(median(frame(big5.t)), median(frame(big5bare)))} one bare <pre> with the same ${KiB(shown)} KiB (${fmt(median(frame(big5bare)))} ms); DOM ready ${fmt(median(big5.t.map((x) => x.script)))} ms, layout ${fmt(median(layout(big5.t)))} ms; saved state ${KiB(big5.stateBytes)} KiB`),
      row(A, 'render the 5 MB body without the preview cap (to next frame)', frame(unc.t), 'ms', `what the cap saves: message ${KiB(bytes(uncappedMsg))} KiB (${ratio(bytes(uncappedMsg), bytes(msg5))} the capped one); ${ratio(median(frame(unc.t)), median(frame(big5.t)))} the capped render`),
      row(A, 'snapshot of 1,000 exchanges (10 verifications × 100) → rendered', frame(snap.t), 'ms', `DOM ready ${fmt(median(snap.t.map((x) => x.script)))} ms, layout ${fmt(median(layout(snap.t)))} ms; message ${KiB(bytes(snapshot))} KiB, built in ${fmt(snapshotMs)} ms; ${ratio(median(frame(snap.t)), median(frame(rowsBare)))} 1,000 bare <details> rows (${fmt(median(frame(rowsBare)))} ms); ${spread(frame(snap.t))}; saved state ${KiB(snap.stateBytes)} KiB`),
      row(A, 'same snapshot, first render in a new page (panel just opened)', frame(snapCold.t), 'ms', `${ratio(median(frame(snapCold.t)), median(frame(snap.t)))} the warm render`),
      row(A, '1,000 live exchange messages → all rendered', frame(liveT.t), 'ms', `${fmt(median(frame(liveT.t)) / 1000)} ms per message; ${KiB(liveBytes)} KiB in all (${fmt(liveBytes / live.length)} B each); then saved state ${KiB(liveT.stateBytes)} KiB (JSON.stringify ${fmt(liveT.stateMs)} ms, once per change after a 300 ms debounce)`),
      row(A, 'history of 500 past verifications → rendered', frame(hist.t), 'ms', `message ${KiB(bytes(historyMsg))} KiB (500 = the setting's maximum)`),
      single(A, 'largest message posted in these scenarios', KiB(Math.max(bytes(msg5), bytes(snapshot), bytes(historyMsg))), 'KiB', 'the 1,000-exchange snapshot or the 5 MB-body exchange, whichever is larger'),
    ];
    return rows;
  } finally {
    await session.close();
    removeRunDir(runDir);
  }
};
