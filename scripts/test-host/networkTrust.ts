/**
 * The certificate authorities of one integration run, made before VS Code starts because Node reads
 * NODE_EXTRA_CA_CERTS only when a process starts (the extension host inherits the environment):
 *   - `extra/`: trusted the way a user does it with NODE_EXTRA_CA_CERTS;
 *   - `os-store/`: trusted through "the operating system's store": SSL_CERT_FILE points OpenSSL's default
 *     CA file (which Node 24's `tls.getCACertificates('system')`, and so VS Code with
 *     `http.systemCertificates`, reads on Linux) at this CA, so the machine's real store is not touched;
 *   - `untrusted/`: trusted nowhere.
 * The tests sign server certificates with these CAs at test time (ONELOGIN_MFA_TEST_PKI names the folder).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCa } from './pki';

export const PKI_ENV = 'ONELOGIN_MFA_TEST_PKI';
export const CA_NAMES = { extra: 'extra', osStore: 'os-store', untrusted: 'untrusted' } as const;

/** Makes the three CAs in a fresh `dir` and returns the environment VS Code must start with. */
export function prepareNetworkTrust(dir: string): Record<string, string> {
  fs.rmSync(dir, { recursive: true, force: true });
  const extra = createCa(path.join(dir, CA_NAMES.extra), 'OneLogin MFA test CA (NODE_EXTRA_CA_CERTS)');
  const osStore = createCa(path.join(dir, CA_NAMES.osStore), 'OneLogin MFA test CA (OS store)');
  createCa(path.join(dir, CA_NAMES.untrusted), 'OneLogin MFA test CA (untrusted)');
  return { NODE_EXTRA_CA_CERTS: extra.certFile, SSL_CERT_FILE: osStore.certFile, [PKI_ENV]: dir };
}
