/**
 * Throwaway certificate authorities and server certificates for the network tests, made with the
 * `openssl` CLI at test time (nothing is committed). P-256 keys, valid for two days.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestCa {
  name: string;
  dir: string;
  /** PEM of the CA certificate (what a user would add to a trust store). */
  certFile: string;
  keyFile: string;
}

export interface ServerCert {
  /** PEM strings, as https.createServer wants them. */
  key: string;
  cert: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync(process.env.OPENSSL ?? 'openssl', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`openssl is needed for the certificate tests: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA in `dir` (created). Reuses one made earlier in the same folder. */
export function createCa(dir: string, name: string): TestCa {
  fs.mkdirSync(dir, { recursive: true });
  const ca: TestCa = { name, dir, certFile: path.join(dir, 'ca.pem'), keyFile: path.join(dir, 'ca.key') };
  if (fs.existsSync(ca.certFile) && fs.existsSync(ca.keyFile)) return ca;
  openssl(['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return ca;
}

/** Opens a CA made by createCa (in another process, e.g. the test runner). */
export function openCa(dir: string, name = path.basename(dir)): TestCa {
  const ca: TestCa = { name, dir, certFile: path.join(dir, 'ca.pem'), keyFile: path.join(dir, 'ca.key') };
  if (!fs.existsSync(ca.certFile) || !fs.existsSync(ca.keyFile)) throw new Error(`no test CA in ${dir}`);
  return ca;
}

let serial = 0;

/**
 * A server certificate for `hosts` (DNS names or IPv4 addresses), signed by `ca`. `expired`: valid only on
 * 1-2 January 2020 (`openssl ca`, the only openssl 3.0 command that takes explicit dates).
 */
export function issueServerCert(ca: TestCa, hosts: string[], { expired = false } = {}): ServerCert {
  const work = fs.mkdtempSync(path.join(ca.dir, 'leaf-'));
  try {
    const san = hosts.map((h) => (/^\d+(\.\d+){3}$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    fs.writeFileSync(path.join(work, 'ext.cnf'), `subjectAltName=${san}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
    openssl(['req', '-new', ...EC_KEY, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${hosts[0]}`], work);
    if (expired) {
      fs.writeFileSync(path.join(work, 'ca.cnf'), '[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n');
      fs.writeFileSync(path.join(work, 'index.txt'), '');
      const hex = (Date.now() * 1000 + ++serial).toString(16);
      fs.writeFileSync(path.join(work, 'serial'), `${hex.length % 2 ? '0' : ''}${hex}\n`); // openssl wants whole bytes
      openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', ca.certFile, '-keyfile', ca.keyFile, '-in', 'leaf.csr', '-out', 'leaf.pem',
        '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-extfile', 'ext.cnf', '-notext'], work);
    } else {
      openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', String(Date.now() * 1000 + ++serial),
        '-days', '2', '-sha256', '-extfile', 'ext.cnf', '-out', 'leaf.pem'], work);
    }
    return { key: fs.readFileSync(path.join(work, 'leaf.key'), 'utf8'), cert: fs.readFileSync(path.join(work, 'leaf.pem'), 'utf8') };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** A self-signed server certificate for `hosts` (no CA at all), made in a scratch folder under `dir`. */
export function selfSignedServerCert(dir: string, hosts: string[]): ServerCert {
  fs.mkdirSync(dir, { recursive: true });
  const work = fs.mkdtempSync(path.join(dir, 'self-'));
  try {
    const san = hosts.map((h) => (/^\d+(\.\d+){3}$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    openssl(['req', '-x509', ...EC_KEY, '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', `/CN=${hosts[0]}`, '-addext', `subjectAltName=${san}`], work);
    return { key: fs.readFileSync(path.join(work, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(work, 'cert.pem'), 'utf8') };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
