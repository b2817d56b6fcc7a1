/**
 * The error paths a user meets, inside a real VS Code extension host against the OneLogin simulator:
 * no credentials, a wrong token (401), wrong client credentials, an unknown verification (404), a 429
 * then success, a 500 then success, an unreachable host, a body that is not JSON, and input refused
 * before anything is sent.
 *
 * "The message the user gets": a failed command shows `vscode.window.showErrorMessage(errorText(what,
 * error))` (src/commands/notify.ts notifyError), i.e. "<what>: <error.message>" plus the request id, where
 * `error` is exactly the `error` the command returns (src/commands/verification.ts). So the returned
 * error's message is asserted here, verbatim where the whole sentence matters; test/e2e/poll.e2e.test.ts
 * reads the real notification toast.
 */
import * as assert from 'node:assert/strict';
import type { TestHooks } from '../../src/extension';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import {
  SECRETS,
  SIM_OPTIONS,
  entryOf,
  hooks,
  resetAll,
  run,
  setSettings,
  statusGets,
  statusPath,
  until,
  useToken,
  type CredentialsResult,
  type VerificationResult,
} from './helpers';

const USER = '4002';
const NO_CREDENTIALS = 'No OneLogin credentials are stored. Set an access token, or API client credentials (client id and secret).';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('integration/errors: what the user is told when something goes wrong', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let h: TestHooks;

  before(async function () {
    h = await hooks();
    sim = await startSimulator(SIM_OPTIONS);
    sim.addUser(USER);
  });

  beforeEach(async function () {
    sim.clearRequests();
    await setSettings({ baseUrl: sim.url, pollInterval: 1 });
  });

  afterEach(async function () {
    await resetAll();
  });

  after(async function () {
    await sim?.close();
  });

  const check = (verificationId: string, userId = USER): Promise<VerificationResult> =>
    run<VerificationResult>('onelogin-mfa.checkVerification', { userId, verificationId });
  const poll = (verificationId: string, extra: Record<string, unknown> = {}): Promise<VerificationResult> =>
    run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId, ...extra });

  it('no credentials: check and poll stop before sending anything and say how to fix it', async function () {
    const id = sim.addVerification(USER);
    for (const r of [await check(id), await poll(id)]) {
      assert.equal(r.state, 'error');
      assert.deepEqual(r.error, { kind: 'invalidInput', code: 'NO_CREDENTIALS', message: NO_CREDENTIALS });
      assert.equal(r.userId, USER);
      assert.equal(r.verificationId, id);
    }
    assert.equal(sim.requests.length, 0, 'nothing reached the API');
  });

  it('wrong token (401): an auth error that names the fix; a poll stops at once instead of retrying', async function () {
    await useToken(SECRETS.wrongToken);
    const id = sim.addVerification(USER);
    const r = await check(id);
    assert.equal(r.state, 'error');
    assert.equal(r.httpStatus, 401);
    assert.equal(r.error?.kind, 'auth');
    assert.equal(r.error?.httpStatus, 401);
    assert.match(r.error?.requestId ?? '', UUID, 'the x-request-id, for a support ticket');
    assert.equal(
      r.error?.message,
      'OneLogin refused the credentials (HTTP 401 Unauthorized: Authentication Failure). Set a new access token or API client credentials; the API credential needs the "Manage All" scope.',
    );

    const p = await poll(id);
    assert.equal(p.state, 'error');
    assert.equal(p.attempt, 1, 'a 401 is not retried');
    assert.equal(p.error?.kind, 'auth');
    assert.equal(p.error?.message, r.error?.message);
    assert.equal(statusGets(sim, USER, id).length, 2, 'one GET for the check, one for the poll');
    assert.match(h.statusBar()?.text ?? '', /MFA error: auth/);
  });

  it('wrong client secret: the token request is refused (401) and the message points at the client id and secret', async function () {
    const stored = await run<CredentialsResult>('onelogin-mfa.setClientCredentials', { clientId: SECRETS.clientId, clientSecret: SECRETS.wrongSecret });
    assert.equal(stored.stored, true);
    const id = sim.addVerification(USER);
    const r = await check(id);
    assert.equal(r.state, 'error');
    assert.equal(r.error?.kind, 'auth');
    assert.equal(r.error?.httpStatus, 401);
    assert.equal(
      r.error?.message,
      'OneLogin refused the credentials (HTTP 401 Unauthorized: Authentication Failure). Check the client id and secret (OneLogin MFA: Set API Client Credentials), and that the API credential still exists.',
    );
    assert.equal(sim.requests.filter((q) => q.path === '/auth/oauth2/v2/token').length, 1);
    assert.equal(statusGets(sim, USER, id).length, 0, 'no status request without a token');
  });

  it('unknown verification (404): a notFound error naming both ids; a poll stops at once', async function () {
    await useToken();
    const r = await check('no-such-verification');
    assert.equal(r.state, 'error');
    assert.equal(r.httpStatus, 404);
    assert.equal(r.error?.kind, 'notFound');
    assert.equal(
      r.error?.message,
      `OneLogin has no verification no-such-verification for user ${USER}. Check both ids: the verification id is the "id" OneLogin returned when the push or call was sent. (HTTP 404 NotFound: The resource can't be found or the server has not found anything matching the Request-URI)`,
    );
    const p = await poll('no-such-verification');
    assert.equal(p.state, 'error');
    assert.equal(p.attempt, 1);
    assert.equal(p.error?.kind, 'notFound');
    const unknownUser = await check('no-such-verification', '999999');
    assert.match(unknownUser.error?.message ?? '', /^OneLogin has no verification no-such-verification for user 999999\./);
  });

  it('429 then success: check reports the limit and the wait; poll waits what Retry-After asks, then settles', async function () {
    await useToken();
    const id = sim.addVerification(USER);
    sim.queueFault({ kind: 'rateLimited', retryAfter: '2' }, { method: 'GET', path: statusPath(USER, id) });
    const limited = await check(id);
    assert.equal(limited.state, 'error');
    assert.equal(limited.error?.kind, 'rateLimited');
    assert.equal(limited.error?.httpStatus, 429);
    assert.equal(limited.error?.message, "OneLogin's rate limit is reached (HTTP 429 TooManyRequests: Rate limit exceeded). It asks to wait 2 s.");
    assert.equal((await check(id)).state, 'pending', 'the next check goes through');

    const pid = sim.addVerification(USER, { faults: [{ kind: 'rateLimited', retryAfter: '2' }], settle: { to: 'accepted', afterPolls: 2 } });
    const polled = poll(pid);
    await until('the poll to back off after the 429', () => entryOf(h, USER, pid)?.retry?.kind === 'rateLimited');
    assert.match(entryOf(h, USER, pid)?.retry?.message ?? '', /rate limit is reached/);
    const r = await polled;
    assert.equal(r.state, 'accepted', JSON.stringify(r));
    const gets = statusGets(sim, USER, pid);
    assert.deepEqual(gets.map((g) => g.status), [429, 200]);
    assert.ok(gets[1].at - gets[0].at >= 2_000, `the retry came ${gets[1].at - gets[0].at} ms after the 429; Retry-After said 2 s`);
  });

  it('500 then success: check reports a server error; poll retries and settles', async function () {
    await useToken();
    const id = sim.addVerification(USER);
    sim.queueFault({ kind: 'serverError' }, { method: 'GET', path: statusPath(USER, id) });
    const failed = await check(id);
    assert.equal(failed.state, 'error');
    assert.equal(failed.error?.kind, 'server');
    assert.equal(failed.error?.httpStatus, 500);
    assert.equal(
      failed.error?.message,
      "OneLogin had a server error (HTTP 500 InternalServerError: Internal Server Error). Try again shortly; if it persists, the API credential's owner may have been deleted.",
    );
    assert.equal((await check(id)).state, 'pending', 'the next check goes through');

    const pid = sim.addVerification(USER, { faults: [{ kind: 'serverError' }], settle: { to: 'accepted', afterPolls: 2 } });
    const r = await poll(pid);
    assert.equal(r.state, 'accepted', JSON.stringify(r));
    assert.equal(r.attempt, 2);
    assert.deepEqual(statusGets(sim, USER, pid).map((g) => g.status), [500, 200]);
  });

  it('unreachable host: a network error naming the address and the cause', async function () {
    const dead = await startSimulator(SIM_OPTIONS);
    const url = dead.url;
    await dead.close(); // the port now refuses connections
    await setSettings({ baseUrl: url });
    await useToken();
    const r = await check('v-unreachable');
    assert.equal(r.state, 'error');
    assert.equal(r.error?.kind, 'network');
    assert.equal(r.error?.code, 'ECONNREFUSED');
    assert.equal(r.httpStatus, undefined, 'no HTTP status: nothing answered');
    assert.equal(
      r.error?.message,
      `Could not reach OneLogin at ${url} for GET ${statusPath(USER, 'v-unreachable')} (ECONNREFUSED): nothing is listening there; check the base URL.`,
    );
  });

  it('a body that is not JSON: invalidResponse quoting its type and start; a poll retries past it', async function () {
    await useToken();
    const id = sim.addVerification(USER);
    sim.queueFault({ kind: 'body', status: 200, contentType: 'text/html', body: '<html><body>Sign in to the proxy</body></html>' }, { path: statusPath(USER, id) });
    const html = await check(id);
    assert.equal(html.state, 'error');
    assert.equal(html.error?.kind, 'invalidResponse');
    assert.equal(html.error?.httpStatus, 200);
    assert.match(html.error?.requestId ?? '', UUID);
    // The client appends the request id to messages it did not get from an HTTP error status (the log
    // and the panel show the message alone); the notification adds it too, see test/e2e/poll.e2e.test.ts.
    assert.equal(
      html.error?.message,
      `OneLogin answered HTTP 200 but the body is text/html: "<html><body>Sign in to the proxy</body></html>", not JSON. A proxy or gateway may be in the way; check the base URL. [x-request-id ${html.error?.requestId}]`,
    );

    sim.queueFault({ kind: 'malformedJson' }, { path: statusPath(USER, id) });
    const cut = await check(id);
    assert.equal(cut.error?.kind, 'invalidResponse');
    assert.equal(
      cut.error?.message,
      `OneLogin answered HTTP 200 but the body is application/json: "[{"id":"406fefd4-8a36-4aee-880c-f3e4a928e27d","status":"pen", not JSON. A proxy or gateway may be in the way; check the base URL. [x-request-id ${cut.error?.requestId}]`,
    );

    const pid = sim.addVerification(USER, { faults: [{ kind: 'malformedJson' }], settle: { to: 'accepted', afterPolls: 2 } });
    const r = await poll(pid);
    assert.equal(r.state, 'accepted', JSON.stringify(r));
    assert.equal(r.attempt, 2);
  });

  it('refuses bad ids and a base URL that is neither https nor loopback before sending anything', async function () {
    await useToken();
    const badId = await check('406fefd4/../../users');
    assert.equal(badId.state, 'error');
    assert.equal(badId.error?.kind, 'invalidInput');
    assert.equal(badId.error?.code, 'INVALID_ID');
    assert.match(badId.error?.message ?? '', /^The verification id "406fefd4\/\.\.\/\.\.\/users" is not a OneLogin id: use only letters, digits/);
    const noUser = await run<VerificationResult>('onelogin-mfa.checkVerification', { verificationId: 'v1' });
    assert.equal(noUser.error?.message, 'The user id is empty. Enter the user id as OneLogin shows it (digits or a UUID).');
    const badExpiry = await poll('v1', { expiresAt: 'tomorrow-ish' });
    assert.equal(badExpiry.error?.code, 'INVALID_ARGUMENT');
    assert.equal(badExpiry.error?.message, 'expiresAt must be an ISO 8601 date string or epoch milliseconds.');

    await setSettings({ baseUrl: 'http://example.com' });
    const insecure = await check('v1');
    assert.equal(insecure.state, 'error');
    assert.equal(insecure.error?.kind, 'invalidInput');
    assert.equal(insecure.error?.code, 'INVALID_BASE_URL');
    assert.match(insecure.error?.message ?? '', /^The setting "onelogin-mfa\.baseUrl" is invalid\. /);
    assert.equal(sim.requests.length, 0, 'nothing was sent');
  });
});
