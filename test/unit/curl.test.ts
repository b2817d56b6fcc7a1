import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { SecretScrubber } from '../../src/onelogin/redact';
import { cmdQuote, curlCommand, headerName, placeholderAuthorization, powershellQuote, shellQuote, type CurlSource } from '../../src/records/curl';

const TOKEN = 'tok-SECRET-0123456789abcdef';
const CLIENT_SECRET = 'csecret-0123456789abcdef';

/** The arguments a POSIX shell passes to curl for this command line (printf instead of curl). */
function shellArgs(command: string): string[] {
  assert.ok(command.startsWith('curl '));
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${command.slice('curl '.length)}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const status: CurlSource = {
  method: 'GET',
  origin: 'https://acme.onelogin.com',
  path: '/api/2/mfa/users/1001/verifications/406fefd4-8a36',
  requestHeaders: {
    accept: 'application/json, text/plain, */*',
    authorization: 'Bearer ••••cdef',
    'user-agent': 'onelogin-mfa-verify-vscode',
    'accept-encoding': 'gzip, compress, deflate, br',
    host: 'acme.onelogin.com',
  },
};

describe('Copy as cURL', () => {
  it('builds the command with <access_token> in place of the token', () => {
    const cmd = curlCommand(status);
    assert.equal(
      cmd,
      "curl 'https://acme.onelogin.com/api/2/mfa/users/1001/verifications/406fefd4-8a36' -X GET -H 'Accept: application/json, text/plain, */*' -H 'Authorization: Bearer <access_token>' -H 'User-Agent: onelogin-mfa-verify-vscode'",
    );
    assert.ok(!cmd.includes('••••'), 'not even the masked tail of the token');
    assert.ok(!/accept-encoding|host:/i.test(cmd), 'headers curl sets itself are left out');
  });

  it('a POSIX shell passes exactly the intended arguments, whatever the values hold', () => {
    const nasty = `it's $(rm -rf ~) \`id\` "q" \\ ; & | > $HOME\nnext`;
    const cmd = curlCommand({
      method: 'POST',
      origin: 'https://acme.onelogin.com',
      path: "/api/2/mfa/users/1'0/verifications",
      requestHeaders: { 'content-type': 'application/json', 'x-note': nasty },
      requestBody: JSON.stringify({ device_id: '3919988', custom_message: nasty }),
    });
    assert.deepEqual(shellArgs(cmd), [
      "https://acme.onelogin.com/api/2/mfa/users/1'0/verifications",
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      '-H',
      `X-Note: ${nasty}`,
      '--data-raw',
      JSON.stringify({ device_id: '3919988', custom_message: nasty }),
    ]);
    assert.equal(shellQuote("a'b"), `'a'\\''b'`);
    assert.equal(shellQuote('a\0b'), `'ab'`);
  });

  it('the token request gets client_id/client_secret placeholders', () => {
    const cmd = curlCommand({
      method: 'POST',
      origin: 'https://acme.onelogin.com',
      path: '/auth/oauth2/v2/token',
      requestHeaders: { authorization: 'client_id:<redacted>, client_secret:<redacted>', 'content-type': 'application/json' },
      requestBody: '{"grant_type":"client_credentials"}',
    });
    assert.ok(cmd.includes(`-H 'Authorization: client_id:<client_id>, client_secret:<client_secret>'`), cmd);
    assert.ok(cmd.includes(`--data-raw '{"grant_type":"client_credentials"}'`));
    assert.equal(placeholderAuthorization('Basic ••••', true), 'Basic base64(<client_id>:<client_secret>)');
  });

  it('the OTP call: the code is a placeholder too', () => {
    const cmd = curlCommand({
      method: 'PUT',
      origin: 'http://127.0.0.1:8123',
      path: '/api/2/mfa/users/1001/verifications/v1',
      requestHeaders: { authorization: 'Bearer ••••cdef' },
      requestBody: '{"otp":"<redacted>","device_id":"77"}',
    });
    assert.ok(cmd.endsWith(`--data-raw '{"otp":"<one_time_code>","device_id":"77"}'`), cmd);
    assert.match(cmd, /-X PUT/);
  });

  it('never a real secret: other credential headers, token-bearing JSON keys and the scrubbed list are replaced', () => {
    const scrubber = new SecretScrubber();
    scrubber.add(TOKEN, CLIENT_SECRET);
    // An exchange that (against the contract) still holds secrets somewhere.
    const cmd = curlCommand(
      {
        method: 'POST',
        origin: 'https://acme.onelogin.com',
        path: `/api/2/mfa/users/1001/verifications?echo=${TOKEN}`,
        requestHeaders: { authorization: `Bearer ${TOKEN}`, cookie: `sid=${TOKEN}`, 'x-api-key': CLIENT_SECRET, 'x-echo': `secret ${CLIENT_SECRET}` },
        requestBody: JSON.stringify({ access_token: 'minted-token-value-123', client_secret: 'other', device_id: '1' }),
      },
      { scrub: (t) => scrubber.scrub(t) },
    );
    for (const secret of [TOKEN, CLIENT_SECRET, 'minted-token-value-123', '"other"']) assert.ok(!cmd.includes(secret), `${secret} leaked: ${cmd}`);
    assert.match(cmd, /Authorization: Bearer <access_token>/);
    assert.match(cmd, /Cookie: <redacted>/);
    assert.match(cmd, /X-Echo: secret <redacted>/);
    assert.match(cmd, /"access_token":"<redacted>"/);
  });

  it('header names are written in their usual case', () => {
    assert.equal(headerName('content-type'), 'Content-Type');
    assert.equal(headerName('x-request-id'), 'X-Request-Id');
    assert.equal(headerName('Accept'), 'Accept');
  });

  describe('Windows shells', () => {
    /** What cmd.exe does to the line before curl.exe sees it, for lines without real quotes: a ^ makes the next character literal. */
    const cmdLine = (line: string): string => line.replace(/\^([\s\S])/g, '$1');
    /** How curl.exe (the Microsoft C runtime) splits its command line into arguments. */
    function crtArgs(line: string): string[] {
      const args: string[] = [];
      let cur = '';
      let inQuotes = false;
      let has = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === '\\') {
          let n = 0;
          while (line[i] === '\\') {
            n++;
            i++;
          }
          if (line[i] === '"') {
            cur += '\\'.repeat(Math.floor(n / 2));
            if (n % 2 === 1) cur += '"';
            else inQuotes = !inQuotes;
          } else {
            cur += '\\'.repeat(n);
            i--;
          }
          has = true;
        } else if (c === '"') {
          if (inQuotes && line[i + 1] === '"') {
            cur += '"';
            i++;
          } else inQuotes = !inQuotes;
          has = true;
        } else if (/\s/.test(c) && !inQuotes) {
          if (has) args.push(cur);
          cur = '';
          has = false;
        } else {
          cur += c;
          has = true;
        }
      }
      if (has) args.push(cur);
      return args;
    }
    /** PowerShell single-quoted strings: '' is one quote, nothing else is special. */
    function psArgs(line: string): string[] {
      const out: string[] = [];
      const re = /'((?:[^']|'')*)'|(\S+)/g;
      for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2]);
      return out;
    }

    const nasty = `a "quoted" & b | c < d > e ^ f % PATH% !x! \\ tail\\ it's`;

    it('cmd: curl.exe receives exactly the value, with nothing for cmd to run or expand', () => {
      for (const v of [nasty, 'plain', 'ends with backslash\\', '\\"already\\"', '%USERPROFILE%', 'x & calc.exe']) {
        const q = cmdQuote(v);
        assert.ok(!/(^|[^^])[&|<>]/.test(q), `an unescaped cmd operator in ${q}`);
        assert.ok(!/%[A-Za-z0-9_]/.test(q), `a variable cmd would expand in ${q}`);
        assert.deepEqual(crtArgs(cmdLine(q)), [v], q);
      }
    });

    it('PowerShell: single quotes with \'\' for a quote; no $ or ` expansion inside', () => {
      for (const v of [nasty, "it's", '$env:PATH `n $(calc)']) assert.deepEqual(psArgs(powershellQuote(v)), [v]);
      assert.equal(powershellQuote("a'b\0"), "'a''b'");
    });

    it('the commands: curl.exe in PowerShell, the body through stdin; curl in cmd; the same arguments as POSIX', () => {
      const otp: CurlSource = { ...status, method: 'PUT', requestHeaders: { ...status.requestHeaders, 'content-type': 'application/json' }, requestBody: '{"otp":"<redacted>","note":"a & b"}' };
      const posix = shellArgs(curlCommand(otp));
      const ps = curlCommand(otp, { shell: 'powershell' });
      assert.match(ps, /^'\{"otp":"<one_time_code>","note":"a & b"\}' \| curl\.exe 'https:\/\/acme/);
      assert.ok(ps.endsWith(" --data-binary '@-'"));
      const [pipeBody, rest] = ps.split(' | ');
      assert.deepEqual(psArgs(pipeBody), ['{"otp":"<one_time_code>","note":"a & b"}']);
      assert.deepEqual(psArgs(rest).slice(1, -2), posix.slice(0, -2), 'URL, method and headers as in POSIX');
      const cmd = curlCommand(otp, { shell: 'cmd' });
      assert.ok(cmd.startsWith('curl ^"https://acme.onelogin.com/api/2/'), cmd);
      assert.deepEqual(crtArgs(cmdLine(cmd)).slice(1), posix, 'every argument as in POSIX');
      assert.ok(!cmd.includes('••••') && !ps.includes('••••'));
      assert.equal(curlCommand(status, { shell: 'posix' }), curlCommand(status), 'posix stays the default');
    });

    it('the scrubber runs over every shell\'s command', () => {
      const x: CurlSource = { ...status, path: `/api/2/mfa/users/1/verifications/${TOKEN}` };
      const scrub = (t: string): string => t.split(TOKEN).join('<scrubbed>');
      for (const shell of ['posix', 'powershell', 'cmd'] as const) assert.ok(!curlCommand(x, { shell, scrub }).includes(TOKEN), shell);
    });
  });
});
