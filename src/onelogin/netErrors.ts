/**
 * Failures below HTTP, turned into a OneLoginError a person can act on: no answer in time, a reply too
 * large, a certificate that is not trusted, a proxy that cannot be reached or refuses the tunnel, a
 * network error. Proxy and certificate trouble is most of what users of HTTP tools in VS Code ask
 * about, so each such message says which VS Code setting fixes it. Plain strings: no `vscode` import here.
 */
import { OneLoginError } from './errors';

/** Node/OpenSSL codes of a certificate chain that was received but not accepted. */
const UNTRUSTED_CERT_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate authority that signed it is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate authority that signed it is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate authority that signed it is not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'it was issued by a certificate authority that is not trusted (often a company proxy that inspects TLS)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  CERT_UNTRUSTED: 'the certificate authority that signed it is not trusted',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
  CERT_HAS_EXPIRED: 'it has expired (or this computer\'s clock is wrong)',
  CERT_NOT_YET_VALID: 'it is not valid yet (or this computer\'s clock is wrong)',
  CERT_REVOKED: 'it has been revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
};

/** Where a trusted company CA comes from: the same two places VS Code itself reads. */
const TRUST_FIX =
  'If your organization inspects TLS traffic with its own certificate authority, add that CA to the operating system\'s certificate store and keep the VS Code setting "http.systemCertificates" on (the default), or start VS Code with the environment variable NODE_EXTRA_CA_CERTS set to the CA\'s PEM file. ' +
  'Turning certificate checks off is not recommended (the token would go to whoever answers), and "http.proxyStrictSSL" does not change this for extensions.';

/** A message for an untrusted certificate, or undefined when `code` is not about one. */
export function untrustedCertificateMessage(code: string, origin: string, what: string): string | undefined {
  const why = UNTRUSTED_CERT_CODES[code];
  if (!why) return undefined;
  return `The certificate of ${origin} is not trusted (${code}): ${why}. ${what} was stopped before anything was sent, the token included. ${TRUST_FIX}`;
}

/**
 * VS Code's proxy agent (@vscode/proxy-agent) fails with this message when the proxy from `http.proxy`
 * (or HTTPS_PROXY) cannot be connected to; the error carries no code.
 */
const PROXY_UNREACHABLE = /Failed to establish a socket connection to proxies/i;

export function proxyUnreachableMessage(errorMessage: string, origin: string, what: string): string | undefined {
  if (!PROXY_UNREACHABLE.test(errorMessage)) return undefined;
  return `Could not reach OneLogin at ${origin} for ${what}: the proxy VS Code is set to use could not be connected to. Check the "http.proxy" setting (and the HTTPS_PROXY environment variable VS Code was started with), or add the host to "http.noProxy".`;
}

/**
 * An answer to an https request that did not come over TLS came from the proxy, not from OneLogin:
 * VS Code's proxy agent replays the proxy's refusal of the CONNECT tunnel as the response.
 */
export function proxyRefusedMessage(status: number, origin: string, what: string): string {
  const why =
    status === 407
      ? 'it requires proxy authentication (HTTP 407). Put the credentials in "http.proxy" (http://user:password@host:port), or sign in when VS Code asks'
      : `it answered HTTP ${status} instead of opening a tunnel. The proxy may block that host, or may not reach it`;
  return `The proxy between VS Code and OneLogin refused to connect to ${origin} for ${what}: ${why}. Check the "http.proxy" and "http.noProxy" settings.`;
}

/** What `transportError` needs to know of the failed request and the client. */
export interface FailedRequest {
  /** "METHOD /path" */
  what: string;
  origin: string;
  timedOut: boolean;
  cancelled: boolean;
  requestTimeoutMs: number;
  maxResponseBytes: number;
}

/** Maps an axios failure to a OneLoginError by its code only: the raw error's config holds the token. */
export function transportError(e: unknown, how: FailedRequest): OneLoginError {
  const { what, origin } = how;
  if (how.cancelled) return new OneLoginError('cancelled', `${what} was cancelled.`);
  if (how.timedOut) {
    return new OneLoginError('timeout', `OneLogin (${origin}) did not answer ${what} within ${fmtSeconds(how.requestTimeoutMs)}. Check the network, or allow more time with the request timeout setting.`);
  }
  const code = (e as { code?: unknown }).code;
  const message = String((e as { message?: unknown }).message ?? '');
  if (/maxContentLength/i.test(message)) {
    return new OneLoginError('invalidResponse', `OneLogin's reply to ${what} was larger than ${Math.round(how.maxResponseBytes / 1048576)} MiB and was not read.`, { code: 'BODY_TOO_LARGE' });
  }
  const untrusted = typeof code === 'string' ? untrustedCertificateMessage(code, origin, what) : undefined;
  if (untrusted) return new OneLoginError('network', untrusted, { code: code as string });
  const noProxy = proxyUnreachableMessage(message, origin, what);
  if (noProxy) return new OneLoginError('network', noProxy, { code: 'PROXY_UNREACHABLE' });
  const codeText = typeof code === 'string' ? code : 'network error';
  const hint = (typeof code === 'string' && NETWORK_HINTS[code]) || (/aborted|socket hang up/i.test(message) ? 'the connection closed before the reply was complete' : 'check the base URL, your network and any proxy');
  return new OneLoginError('network', `Could not reach OneLogin at ${origin} for ${what} (${codeText}): ${hint}.`, { code: typeof code === 'string' ? code : undefined });
}

/** What to check, per Node/axios error code. */
const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening there; check the base URL',
  ENOTFOUND: 'the host name does not resolve; check the base URL (https://<subdomain>.onelogin.com)',
  EAI_AGAIN: 'the host name could not be resolved right now; check your network or DNS',
  ECONNRESET: 'the connection was reset before the reply was complete',
  EHOSTUNREACH: 'the host is unreachable; check your network',
  ENETUNREACH: 'the network is unreachable; check your connection',
  ETIMEDOUT: 'the connection timed out; check your network or proxy',
  EPROTO: 'the TLS handshake failed; is the base URL really https?',
  ERR_BAD_RESPONSE: 'the reply was cut off or malformed',
};

function fmtSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
