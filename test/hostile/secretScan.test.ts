/**
 * The last file of the hostile run: everything the extension's code produced during the whole run — every
 * exchange, log line, panel message and snapshot, body handed to "Copy body"/"Open in editor", error message,
 * poll state, command result, history record (what goes to globalState), exported JSON/HAR file, "Copy as
 * cURL" command, restored webview state, and the webview's DOM text and saved state from webview.test.ts —
 * is searched for every secret the run used: the test token, client id and secret, a one-time code, every
 * token a server minted, and every Authorization value a server received, each as is and as spelled in JSON.
 *
 * It first runs a full session of its own (token mint, poll through a 500, a 429 and an expired token,
 * a trigger, an OTP, errors), so the scan has something to search even when this file runs alone.
 * (The same search over the files a real VS Code writes is test/integration/hostile.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { toResultError } from '../../src/onelogin/errors';
import { checkResult, errorResult, pollResult } from '../../src/commands/results';
import { historyRecordFor } from '../../src/records/history';
import { curlCommand } from '../../src/records/curl';
import { exportLog, type ExportItem } from '../../src/records/exportLog';
import { startSimulator, type SimRequest } from '../mock-onelogin/server';
import {
  artifacts,
  CLIENT_CREDENTIALS,
  harvestSecrets,
  knownSecrets,
  mirrors,
  PollRig,
  record,
  rejectsWith,
  SECRETS,
  secretsIn,
  simOptions,
  USER,
} from './helpers';

const OTP = 'HOSTILEOTP4711';

describe('attacks: no secret in anything the extension wrote (scan of the whole run)', () => {
  it('a full session: token mint, a poll through a 500, a 429 and an expired token, a trigger, an OTP, errors', async () => {
    knownSecrets.add(OTP);
    const sim = await startSimulator(simOptions);
    harvestSecrets(sim);
    sim.addUser(USER);
    const bearer = (r: SimRequest): string => String(r.headers.authorization).replace(/^Bearer /, '');
    const id = sim.addVerification(USER, { otp: OTP, settle: { to: 'accepted', afterPolls: 5 }, faults: [{ kind: 'serverError' }, { kind: 'rateLimited', retryAfter: '3' }] });
    const rig = new PollRig({
      baseUrl: sim.url,
      credentials: CLIENT_CREDENTIALS,
      beforeNext: (s) => {
        if (s.attempt === 3) sim.expireAccessToken(bearer(sim.requests.filter((r) => r.method === 'GET').at(-1) as SimRequest));
      },
    });
    try {
      const final = await rig.run({ userId: USER, verificationId: id });
      assert.equal(final.phase, 'accepted');
      record('command result', pollResult(final));
      rig.done();

      const client = rig.client;
      const devices = await client.listDevices(USER);
      const triggered = await client.triggerVerification(USER, { deviceId: devices[0].deviceId, customMessage: 'hostile scan' });
      record('command result', triggered);
      const otp = await client.verifyOtp(USER, triggered.id, OTP);
      assert.equal(otp.accepted, false, 'the new verification has the default code');
      assert.equal((await client.verifyOtp(USER, id, OTP)).accepted, true);
      const status = await client.getVerificationStatus(USER, triggered.id);
      rig.mirror.store.recordCheck(USER, triggered.id, { result: status });
      record('command result', checkResult(USER, triggered.id, status));
      const missing = await rejectsWith(client.getVerificationStatus(USER, 'no-such'), 'notFound');
      rig.mirror.store.recordCheck(USER, 'no-such', { error: toResultError(missing) });
      record('command result', errorResult(USER, 'no-such', toResultError(missing)));
      const put = rig.mirror.exchanges.filter((e) => e.method === 'PUT');
      assert.ok(put.length === 2 && put.every((e) => e.requestBody?.includes('"otp":"<redacted>"')), 'the code is never recorded');
    } finally {
      rig.dispose();
      await sim.close();
    }
  });

  it('the scan: no token, client id or secret, code, or Authorization value anywhere', function () {
    for (const m of mirrors) {
      m.finalArtifacts();
      const views = m.log.keys().flatMap((k) => m.log.group(k).exchanges);
      const items: ExportItem[] = views.map((view) => ({ view, fullBody: m.log.fullBody(view.id)?.text }));
      if (items.length > 0) {
        // Without the extension's final scrub pass: the placeholders and the redacted views must suffice.
        record('exported file (JSON)', exportLog('json', items));
        record('exported file (HAR)', exportLog('har', items));
      }
      for (const view of views) record('copy as cURL', curlCommand(view));
      for (const entry of m.store.entries()) {
        const h = historyRecordFor(entry);
        if (h) record('history (globalState)', h);
      }
    }

    const kinds = new Map<string, number>();
    for (const a of artifacts) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
    const required = ['exchange', 'log line', 'panel exchange message', 'panel snapshot', 'copied/opened body', 'error message', 'poll state', 'command result', 'exported file (JSON)', 'exported file (HAR)', 'copy as cURL', 'history (globalState)'];
    assert.deepEqual(required.filter((k) => !kinds.has(k)), [], 'kinds of output that were never produced');
    for (const s of Object.values(SECRETS)) assert.ok(knownSecrets.has(s));
    assert.ok([...knownSecrets].some((s) => /^[0-9a-f]{64}$/.test(s)), 'a token minted by the simulator is among the secrets');
    assert.ok([...knownSecrets].some((s) => s.startsWith('client_id:')), 'an Authorization value is among the secrets');

    const hits: string[] = [];
    for (const a of artifacts) {
      for (const s of secretsIn(a.text, knownSecrets)) hits.push(`${a.kind}: ${s.slice(0, 16)}… in ${JSON.stringify(a.text.slice(Math.max(0, a.text.indexOf(s) - 40), a.text.indexOf(s) + 40))}`);
    }
    const bytes = artifacts.reduce((n, a) => n + a.text.length, 0);
    const summary = [...kinds].map(([k, n]) => `${k} ${n}`).join(', ');
    (this.test as Mocha.Test).title += ` [${artifacts.length} outputs, ${(bytes / 1e6).toFixed(1)} MB, ${knownSecrets.size} secrets; ${summary}]`;
    assert.deepEqual(hits.slice(0, 20), [], `${hits.length} secret(s) found`);
  });

  it('control: the scan finds a secret planted as is, or as spelled in JSON', () => {
    const secret = 'HOSTILE-PLANTED-"quoted"/slash\\back';
    assert.deepEqual(secretsIn(`x ${secret} y`, [secret]), [secret]);
    assert.deepEqual(secretsIn(JSON.stringify({ a: `x ${secret} y` }), [secret]), [secret]);
    assert.deepEqual(secretsIn(JSON.stringify({ a: secret }).replace(/\//g, '\\/'), [secret]), [secret]);
    assert.deepEqual(secretsIn('nothing here', [secret]), []);
  });
});
