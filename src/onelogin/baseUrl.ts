/**
 * Validates the API base URL before any token is sent to it: https only, except plain http on a
 * loopback host (the local simulator). No userinfo, query, fragment or path, so the origin alone
 * decides where the token goes.
 */
import { OneLoginError } from './errors';

export const DEFAULT_BASE_URL = 'https://api.us.onelogin.com';

const EXAMPLE = 'https://<subdomain>.onelogin.com, https://api.us.onelogin.com or https://api.eu.onelogin.com';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Returns the normalised origin URL, or throws OneLoginError('invalidInput') saying what to fix. */
export function parseBaseUrl(raw: string): URL {
  const text = (raw ?? '').trim();
  const fail = (why: string): never => {
    throw new OneLoginError('invalidInput', `The OneLogin base URL ${quote(text)} ${why} Use ${EXAMPLE}.`, { code: 'INVALID_BASE_URL' });
  };
  if (!text) fail('is empty.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`uses ${url.protocol.replace(':', '')}; only https is allowed.`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    fail('uses plain http on a non-local host, which would send the access token unencrypted; only https is allowed (http only for 127.0.0.1/localhost).');
  }
  if (url.username || url.password) fail('contains a user name or password; remove the part before "@".');
  if (url.search || url.hash) fail('contains a query or fragment; give only the scheme and host.');
  if (url.pathname !== '/' && url.pathname !== '') fail(`has a path (${url.pathname}); give only the scheme and host, the extension adds the API paths.`);
  return new URL(url.origin);
}

/**
 * Quotes the input for a message: at most 80 characters, and never what may be a user name or password
 * (everything between the scheme and the last '@' is elided, even when the URL does not parse).
 */
function quote(s: string): string {
  const safe = s.replace(/^([a-z][a-z0-9+.-]*:\/*).*@/is, '$1…@');
  const short = safe.length > 80 ? `${safe.slice(0, 80)}…` : safe;
  return JSON.stringify(short);
}
