/**
 * Faults real networks create, over real HTTP against the simulator, through the REAL client and the REAL
 * poll loop (PollManager → VerificationPoller → OneLoginClient). For each: the poll ends in the right state
 * or recovers, the message a person reads says what to check, no two requests of a poll overlap, no timer
 * or busy socket is left, and the exchange log holds one exchange per request the server saw, in order.
 *
 * Layers (honestly): polls whose delays are seconds long run under a fake setTimeout with real sockets
 * (PollRig in helpers.ts); faults that are about wall-clock time on the wire (a hung server, a trickling
 * body, a cancel mid-request) run in real time with short request timeouts.
 */
import { strict as assert } from 'node:assert';
import { pollResult } from '../../src/commands/results';
import { PollManager } from '../../src/verification/pollManager';
import type { Credentials } from '../../src/onelogin/types';
import type { PollState } from '../../src/verification/types';
import { startSimulator, type SimRequest, type Simulator } from '../mock-onelogin/server';
import {
  ACCESS_TOKEN,
  activeTimeouts,
  assertLogComplete,
  assertSequential,
  busyClientSockets,
  CLIENT_CREDENTIALS,
  closedPort,
  harvestSecrets,
  HostMirror,
  idleClientSockets,
  newClient,
  PollRig,
  record,
  rejectsWith,
  SECRETS,
  simOptions,
  USER,
  waitFor,
} from './helpers';

const bearer = (r: SimRequest): string | undefined => /^Bearer (\S+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
const isStatusGet = (r: SimRequest): boolean => r.method === 'GET' && r.path.includes('/verifications/');

/** The retry states a poll went through (one per transient failure). */
const retries = (states: PollState[]): NonNullable<PollState['retry']>[] =>
  states.filter((s) => s.retry && s.nextCheckAt !== undefined).map((s) => s.retry as NonNullable<PollState['retry']>);

describe('faults: polls over real HTTP, fake clock', () => {
  let sim: Simulator;
  let rig: PollRig | undefined;

  beforeEach(async () => {
    sim = await startSimulator(simOptions);
    harvestSecrets(sim);
    sim.addUser(USER);
  });
  afterEach(async () => {
    rig?.dispose();
    rig = undefined;
    // No socket left: none carries a request, and every connection the server still holds is an idle
    // keep-alive one the client pooled (closed by the agent after 5 s idle, or by the server's close()).
    await waitFor(() => busyClientSockets() === 0, 'the client to release its sockets');
    await waitFor(() => sim.openSockets === idleClientSockets(sim.port), 'the server to see no half-open connection');
    await sim.close();
  });

  it('a 500/502/503 storm, then recovery: backs off 2, 4, 8, 16 s and settles accepted', async () => {
    const id = sim.addVerification(USER, {
      settle: { to: 'accepted', afterPolls: 5 },
      faults: [{ kind: 'serverError' }, { kind: 'html', status: 502 }, { kind: 'serverError', status: 503 }, { kind: 'status', status: 503 }],
    });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'accepted');
    assert.equal(final.attempt, 5);
    assert.equal(final.error, undefined);
    assert.deepEqual(rig.schedules.map((s) => s.delayMs), [2000, 4000, 8000, 16_000]);
    const reasons = retries(rig.states);
    assert.deepEqual(reasons.map((r) => r.reason.kind), ['server', 'server', 'server', 'server']);
    assert.deepEqual(reasons.map((r) => r.reason.httpStatus), [500, 502, 503, 503]);
    for (const r of reasons) assert.match(r.reason.message, /server error \(HTTP 50\d.*Try again shortly/);
    assert.match(reasons[1].reason.message, /text\/html: "<html>/, 'the proxy page is quoted, not hidden');
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('a storm that does not end: stops after maxConsecutiveFailures with a server error, backoff capped', async () => {
    const id = sim.addVerification(USER, { faults: Array.from({ length: 8 }, () => ({ kind: 'serverError' as const, status: 503 })) });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, poll: { maxConsecutiveFailures: 5, maxBackoffMs: 5000 } });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'error');
    assert.equal(final.attempt, 5);
    assert.equal(final.error?.kind, 'server');
    assert.match(final.error?.message ?? '', /OneLogin had a server error \(HTTP 503.*\)\. Try again shortly/);
    assert.deepEqual(rig.schedules.map((s) => s.delayMs), [2000, 4000, 5000, 5000]);
    assert.equal(pollResult(final).error?.message, final.error?.message, 'the command result carries the same message');
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('429 with Retry-After in seconds: waits exactly that long, then recovers', async () => {
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 2 }, faults: [{ kind: 'rateLimited', retryAfter: '7' }] });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'accepted');
    assert.deepEqual(rig.schedules.map((s) => s.delayMs), [7000]);
    const [r] = retries(rig.states);
    assert.equal(r.reason.kind, 'rateLimited');
    assert.equal(r.reason.retryAfterMs, 7000);
    assert.match(r.reason.message, /rate limit is reached.*wait 7 s/);
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('429 with Retry-After as an HTTP date: the next request waits until that date', async () => {
    const until = Date.now() + 30_000;
    const id = sim.addVerification(USER, { settle: { to: 'rejected', afterPolls: 2 }, faults: [{ kind: 'rateLimited', retryAfter: new Date(until).toUTCString() }] });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'rejected');
    // The client reads the date against the real clock (1 s resolution); the poller waits that long.
    const [wait] = rig.schedules.map((s) => s.delayMs);
    assert.ok(wait > 28_000 && wait <= 30_000, `waited ${wait} ms for a Retry-After 30 s away`);
    assert.equal(retries(rig.states)[0].reason.retryAfterMs, wait);
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('429 without Retry-After or X-RateLimit-Reset: backs off on its own', async () => {
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 3 }, faults: [{ kind: 'rateLimited' }, { kind: 'rateLimited' }] });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'accepted');
    assert.deepEqual(rig.schedules.map((s) => s.delayMs), [2000, 4000]);
    for (const r of retries(rig.states)) {
      assert.equal(r.reason.kind, 'rateLimited');
      assert.equal(r.reason.retryAfterMs, undefined);
      assert.doesNotMatch(r.reason.message, /wait/);
    }
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('429 with only X-RateLimit-Reset: waits for the window to reset', async () => {
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 2 }, faults: [{ kind: 'rateLimited', rateLimitReset: 12 }] });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'accepted');
    assert.deepEqual(rig.schedules.map((s) => s.delayMs), [12_000]);
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('429 asking to wait past the expiry (even 99999999999 s): ends at once as rate-limited (not "expired"), never calls early', async () => {
    for (const retryAfter of ['60', '99999999999']) {
      sim.clearRequests();
      const id = sim.addVerification(USER, { faults: [{ kind: 'rateLimited', retryAfter }] });
      rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, poll: { timeoutMs: 10_000 } });
      const final = await rig.run({ userId: USER, verificationId: id });
      assert.equal(final.phase, 'error', retryAfter);
      assert.equal(final.error?.code, 'RATE_LIMITED', retryAfter);
      assert.equal(final.attempt, 1, 'no request after the 429');
      assert.deepEqual(rig.schedules.map((s) => s.delayMs), [], 'no timer at all, so no 2^31 ms overflow either');
      assert.equal(sim.requests.length, 1);
      assertLogComplete(rig.mirror.exchanges, sim.requests);
      rig.done();
    }
  });

  it('a token that expires mid-poll: 401, one new token, the same check retried, the poll goes on', async () => {
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 3 } });
    rig = new PollRig({
      baseUrl: sim.url,
      credentials: CLIENT_CREDENTIALS,
      beforeNext: (s) => {
        if (s.attempt === 1) sim.expireAccessToken(bearer(sim.requests.find(isStatusGet) as SimRequest) as string);
      },
    });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'accepted');
    assert.equal(final.attempt, 3, 'the refresh is inside one check, not an extra poll');
    assert.equal(retries(rig.states).length, 0, 'the user sees no retry: the refresh is transparent');
    assert.deepEqual(
      sim.requests.map((r) => `${r.method} ${r.path.startsWith('/auth') ? r.path : 'status'} ${r.status}`),
      ['POST /auth/oauth2/v2/token 200', 'GET status 200', 'GET status 401', 'POST /auth/oauth2/v2/token 200', 'GET status 200', 'GET status 200'],
    );
    const used = sim.requests.filter(isStatusGet).map(bearer);
    assert.equal(used[1], used[0], 'the refused request carried the expired token');
    assert.notEqual(used[2], used[1], 'the retry carried a newly minted token');
    assert.equal(used[3], used[2], 'which is then reused');
    const refused = rig.mirror.exchanges.find((e) => e.status === 401);
    assert.equal(refused?.error?.kind, 'auth');
    assert.match(refused?.error?.message ?? '', /minting a new one and retrying once/);
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('a stored access token revoked mid-poll: stops at once with "set a new access token"', async () => {
    const id = sim.addVerification(USER);
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, beforeNext: () => sim.revokeAccessTokens() });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'error');
    assert.equal(final.attempt, 2, 'a permanent error is not retried');
    assert.equal(final.error?.kind, 'auth');
    assert.match(final.error?.message ?? '', /refused the credentials \(HTTP 401 Unauthorized: Authentication Failure\)\. Set a new access token/);
    assert.ok(final.error?.requestId, 'the x-request-id is kept for a support ticket');
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('credentials replaced by wrong ones mid-poll: one mint attempt, then "check the client id and secret"', async () => {
    const id = sim.addVerification(USER);
    let credentials: Credentials = CLIENT_CREDENTIALS;
    rig = new PollRig({
      baseUrl: sim.url,
      credentials: () => credentials,
      beforeNext: () => {
        sim.revokeAccessTokens();
        credentials = { kind: 'clientCredentials', clientId: SECRETS.clientId, clientSecret: `${SECRETS.clientSecret}-rotated` };
      },
    });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'error');
    assert.equal(final.error?.kind, 'auth');
    assert.match(final.error?.message ?? '', /Check the client id and secret/);
    // Other credentials: the cached token is dropped at once (it belongs to the old ones), one mint is tried.
    assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.status}`), ['POST 200', 'GET 200', 'POST 401']);
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('connection refused: retried with backoff, then stops with "nothing is listening there; check the base URL"', async () => {
    const port = await closedPort();
    rig = new PollRig({ baseUrl: `http://127.0.0.1:${port}`, credentials: ACCESS_TOKEN, poll: { maxConsecutiveFailures: 3 } });
    const final = await rig.run({ userId: USER, verificationId: 'v-refused' });
    assert.equal(final.phase, 'error');
    assert.equal(final.attempt, 3);
    assert.equal(final.error?.kind, 'network');
    assert.match(final.error?.message ?? '', new RegExp(`Could not reach OneLogin at http://127\\.0\\.0\\.1:${port} .*ECONNREFUSED.*nothing is listening there; check the base URL`));
    assert.deepEqual(rig.schedules.map((s) => s.delayMs), [2000, 4000]);
    assertLogComplete(rig.mirror.exchanges, ['unreached', 'unreached', 'unreached']);
    rig.done();
  });

  it('a connection reset mid-body: reported as a cut reply, retried, recovers', async () => {
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 2 }, faults: [{ kind: 'reset' }] });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'accepted');
    const [r] = retries(rig.states);
    assert.equal(r.reason.kind, 'network');
    assert.match(r.reason.message, /\((ECONNRESET|ERR_BAD_RESPONSE)\): (the connection was reset before the reply was complete|the reply was cut off or malformed)\./);
    const cut = rig.mirror.exchanges[0];
    assert.equal(cut.status, undefined, 'a half reply is not shown as a response');
    assert.equal(cut.error?.kind, 'network');
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('the simulator restarted mid-poll (same port): the poll rides it out and settles', async () => {
    const id = sim.addVerification(USER, { id: 'restart-1' });
    const port = sim.port;
    const seen: SimRequest[] = [];
    let second: Simulator | undefined;
    rig = new PollRig({
      baseUrl: sim.url,
      credentials: ACCESS_TOKEN,
      beforeNext: async (s) => {
        if (s.attempt === 1) {
          seen.push(...sim.requests);
          await sim.close(); // down before the 2nd check
        } else if (s.attempt === 2) {
          second = await startSimulator({ ...simOptions, port }); // back before the 3rd
          harvestSecrets(second);
          second.addVerification(USER, { id, settle: { to: 'accepted', afterPolls: 1 } });
        }
      },
    });
    try {
      const final = await rig.run({ userId: USER, verificationId: id });
      assert.equal(final.phase, 'accepted');
      assert.equal(final.attempt, 3);
      const [down] = retries(rig.states);
      assert.equal(down.reason.kind, 'network');
      assert.match(down.reason.message, /Could not reach OneLogin at http:\/\/127\.0\.0\.1:\d+ .*(ECONNREFUSED|ECONNRESET)/);
      assertLogComplete(rig.mirror.exchanges, [...seen, 'unreached', ...(second as Simulator).requests]);
      rig.done();
    } finally {
      await second?.close();
    }
  });

  it('bad bodies from a proxy (HTML 200, cut JSON, empty, a JSON string): retried, a good reply resets the count', async () => {
    const id = sim.addVerification(USER, {
      settle: { to: 'accepted', afterPolls: 6 },
      faults: [{ kind: 'html', status: 200 }, { kind: 'malformedJson' }, { kind: 'body', body: '[{"status":"pending"}]' }, { kind: 'empty' }, { kind: 'body', body: '"pending"' }],
    });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, poll: { maxConsecutiveFailures: 3, maxBackoffMs: 2000 } });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'accepted', 'two bad bodies, a good one, two bad ones: never three in a row');
    assert.equal(final.attempt, 6);
    const messages = retries(rig.states).map((r) => r.reason.message);
    assert.equal(messages.length, 4);
    assert.match(messages[0], /HTTP 200 but the body is text\/html: "<html>.*not JSON\. A proxy or gateway may be in the way; check the base URL/);
    assert.match(messages[1], /the body is application\/json: "\[\{"id":"406fefd4.*"status":"pen", not JSON/);
    assert.match(messages[2], /the body is empty, not JSON/);
    assert.match(messages[3], /did not contain a verification .* got a JSON string/);
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });

  it('three bad bodies in a row: the poll stops and says what it received', async () => {
    const id = sim.addVerification(USER, { faults: [{ kind: 'html', status: 200 }, { kind: 'malformedJson' }, { kind: 'empty' }, { kind: 'empty' }] });
    rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, poll: { maxConsecutiveFailures: 3 } });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'error');
    assert.equal(final.attempt, 3);
    assert.equal(final.error?.kind, 'invalidResponse');
    assert.match(final.error?.message ?? '', /the body is empty, not JSON\. A proxy or gateway may be in the way; check the base URL/);
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
  });
});

describe('faults: slow and broken connections, real time', () => {
  let sim: Simulator;
  let mirror: HostMirror;
  let timersBefore: number;

  beforeEach(async () => {
    sim = await startSimulator(simOptions);
    harvestSecrets(sim);
    sim.addUser(USER);
    mirror = new HostMirror();
    timersBefore = activeTimeouts();
  });
  afterEach(async () => {
    await sim.close();
  });

  /** After the client gave up: no busy client socket, the server saw the connection closed, no timer left. */
  async function nothingLeft(): Promise<void> {
    await waitFor(() => busyClientSockets() === 0, 'the client to release its socket');
    // Connections the server still holds are idle keep-alive ones the client pooled, never the aborted one.
    await waitFor(() => sim.openSockets === idleClientSockets(sim.port), 'the server to see the aborted connection closed');
    await sim.close(); // cancels the simulator's own timers (a trickle's next byte), so what remains is the client's
    assert.equal(activeTimeouts(), timersBefore, 'a timer was left behind');
  }

  it('a server that accepts and never answers: a timeout at the request deadline, naming the setting to raise', async () => {
    const id = sim.addVerification(USER, { faults: [{ kind: 'hang' }] });
    const client = newClient(mirror, sim.url, ACCESS_TOKEN, { requestTimeoutMs: 300 });
    const started = Date.now();
    await rejectsWith(client.getVerificationStatus(USER, id), 'timeout', /did not answer GET \S+ within 0\.3 s\. Check the network, or allow more time with the request timeout setting/);
    assert.ok(Date.now() - started < 2000, 'gave up near the deadline');
    assert.equal(mirror.exchanges.length, 1);
    assert.equal(mirror.exchanges[0].error?.kind, 'timeout');
    assertLogComplete(mirror.exchanges, sim.requests);
    await nothingLeft();
  });

  it('a body that trickles one byte a second: the deadline covers the whole body, not each byte', async () => {
    const id = sim.addVerification(USER, { faults: [{ kind: 'trickle', bytesPerSecond: 1 }] });
    const client = newClient(mirror, sim.url, ACCESS_TOKEN, { requestTimeoutMs: 400 });
    const started = Date.now();
    await rejectsWith(client.getVerificationStatus(USER, id), 'timeout', /within 0\.4 s/);
    assert.ok(Date.now() - started < 2000, `gave up after ${Date.now() - started} ms`);
    assert.equal(sim.requests[0].status, 200, 'the headers had arrived: only the body was slow');
    assertLogComplete(mirror.exchanges, sim.requests);
    await nothingLeft();
  });

  it('a hung check inside a poll: aborted at the deadline, retried, the poll settles', async () => {
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 2 }, faults: [{ kind: 'hang' }] });
    const rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, fake: false, requestTimeoutMs: 300, poll: { intervalMs: 1000 } });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'accepted');
    assert.equal(final.attempt, 2);
    assert.equal(retries(rig.states)[0].reason.kind, 'timeout');
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
    await nothingLeft();
  });

  it('a trickling check inside a poll: aborted at the deadline, retried, the poll settles', async () => {
    const id = sim.addVerification(USER, { settle: { to: 'rejected', afterPolls: 2 }, faults: [{ kind: 'trickle', bytesPerSecond: 1 }] });
    const rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, fake: false, requestTimeoutMs: 300, poll: { intervalMs: 1000 } });
    const final = await rig.run({ userId: USER, verificationId: id });
    assert.equal(final.phase, 'rejected');
    assert.equal(retries(rig.states)[0].reason.kind, 'timeout');
    assertLogComplete(rig.mirror.exchanges, sim.requests);
    rig.done();
    await nothingLeft();
  });

  it('Stop while a request hangs: cancelled at once, the socket closed, nothing left', async () => {
    const id = sim.addVerification(USER, { faults: [{ kind: 'hang' }] });
    const rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, fake: false, requestTimeoutMs: 10_000 });
    const done = rig.run({ userId: USER, verificationId: id });
    await sim.waitForRequests(isStatusGet);
    assert.equal(rig.manager.stop(), 1);
    const final = await done;
    assert.equal(final.phase, 'cancelled');
    assert.equal(final.error, undefined, 'a cancel is not an error');
    await waitFor(() => rig.mirror.exchanges.length === 1, 'the aborted request to be logged');
    assert.equal(rig.mirror.exchanges[0].error?.kind, 'cancelled', 'the aborted request is still in the log');
    rig.done();
    await nothingLeft();
  });

  it('a hung poll never delays another poll', async () => {
    const hung = sim.addVerification(USER, { faults: [{ kind: 'hang' }] });
    const quick = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 1 } });
    const m = new HostMirror();
    const client = newClient(m, sim.url, ACCESS_TOKEN, { requestTimeoutMs: 10_000 });
    const manager = new PollManager((u, v) => (signal) => client.getVerificationStatus(u, v, signal), () => ({ intervalMs: 1000, jitterRatio: 0 }));
    try {
      const slow = manager.start({ userId: USER, verificationId: hung });
      await sim.waitForRequests(isStatusGet);
      const fast = await manager.start({ userId: USER, verificationId: quick }).start();
      assert.equal(fast.phase, 'accepted');
      assert.equal(slow.state.phase, 'pending', 'the hung one is still waiting on its own request');
      manager.stop();
      assert.equal((await slow.start()).phase, 'cancelled');
      assert.equal(m.exchanges.filter((e) => e.error?.kind === 'cancelled').length, 0, 'the quick poll finished before anything was cancelled');
      record('poll state', fast);
    } finally {
      manager.dispose();
    }
    await nothingLeft();
  });

  it('connection refused on a single check: a network error naming the base URL, one exchange, no socket', async () => {
    const port = await closedPort();
    const client = newClient(mirror, `http://127.0.0.1:${port}`, ACCESS_TOKEN);
    const e = await rejectsWith(client.getVerificationStatus(USER, 'v1'), 'network', /nothing is listening there; check the base URL/);
    assert.equal(e.code, 'ECONNREFUSED');
    assert.equal(mirror.exchanges.length, 1);
    assert.match(mirror.exchanges[0].requestHeaders.authorization, /^Bearer ••••[0-9a-f]{4}$/);
    assertSequential(mirror.exchanges);
    await nothingLeft();
  });
});
