/**
 * A small forwarding proxy for the network tests, on 127.0.0.1 (node:http, no dependency): it answers
 * CONNECT by opening a tunnel to a *mapped* name only (`routes`: "name:port" -> a local port), so a test
 * can use a non-loopback host name that never resolves, and it never connects anywhere but 127.0.0.1.
 * It logs every CONNECT (target, header names) and keeps every byte the client sent it, so a test can
 * show that it only ever saw a tunnel and never the token. Plain-http proxy requests are answered 502.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxyLogEntry {
  method: string;
  /** "host:port" of a CONNECT, or the absolute URL of a plain request. */
  target: string;
  /** Header names only (values may hold credentials). */
  headerNames: string[];
  /** The status the proxy answered with. */
  status: number;
  /** A CONNECT whose tunnel carried a TLS handshake (first byte 0x16) as its first bytes. */
  tlsInTunnel?: boolean;
}

export interface ConnectProxy {
  readonly port: number;
  /** http://127.0.0.1:<port>, the value for `http.proxy`. */
  readonly url: string;
  readonly log: ProxyLogEntry[];
  /** The local ports of the proxy's connections to the upstream servers (what the server sees as the client port). */
  readonly upstreamPorts: number[];
  /** Every byte any client sent this proxy (request heads and tunnelled bytes), in arrival order. */
  received(): Buffer;
  /** Answer every CONNECT with this status (e.g. 407, 502) instead of opening a tunnel; undefined to stop. */
  refuseWith(status: number | undefined): void;
  close(): Promise<void>;
}

const MAX_KEPT = 4 * 1024 * 1024;

export interface ConnectProxyOptions {
  /** "user:password" the proxy demands (Proxy-Authorization: Basic); others get 407 with no challenge. */
  credentials?: string;
}

export async function startConnectProxy(routes: Record<string, number>, opts: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const log: ProxyLogEntry[] = [];
  const upstreamPorts: number[] = [];
  const expectedAuth = opts.credentials === undefined ? undefined : `Basic ${Buffer.from(opts.credentials).toString('base64')}`;
  const chunks: Buffer[] = [];
  let kept = 0;
  let refusal: number | undefined;
  const sockets = new Set<net.Socket>();
  const keep = (b: Buffer): void => {
    if (kept + b.length > MAX_KEPT) return;
    chunks.push(Buffer.from(b));
    kept += b.length;
  };
  const headOf = (req: http.IncomingMessage): Buffer =>
    Buffer.from(`${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}\r\n${req.rawHeaders.map((v, i) => (i % 2 ? `${v}\r\n` : `${v}: `)).join('')}\r\n`);

  const server = http.createServer((req, res) => {
    keep(headOf(req));
    req.on('data', keep);
    log.push({ method: req.method ?? '', target: req.url ?? '', headerNames: Object.keys(req.headers), status: 502 });
    res.writeHead(502, { 'Content-Type': 'text/plain', Connection: 'close' }).end('test proxy: only CONNECT tunnels\n');
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    keep(headOf(req));
    const target = req.url ?? '';
    const entry: ProxyLogEntry = { method: 'CONNECT', target, headerNames: Object.keys(req.headers), status: 0 };
    log.push(entry);
    client.on('error', () => client.destroy());
    const upstreamPort = routes[target.toLowerCase()];
    const authorized = expectedAuth === undefined || req.headers['proxy-authorization'] === expectedAuth;
    const status = refusal ?? (!authorized ? 407 : upstreamPort === undefined ? 502 : 200);
    if (status !== 200) {
      entry.status = status;
      client.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Refused'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const upstream = net.connect(upstreamPort as number, '127.0.0.1', () => {
      if (upstream.localPort !== undefined) upstreamPorts.push(upstream.localPort);
      entry.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      let first = true;
      const onData = (b: Buffer): void => {
        if (first) entry.tlsInTunnel = b[0] === 0x16;
        first = false;
        keep(b);
      };
      if (head.length) onData(head);
      client.on('data', onData);
      if (head.length) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.once('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    log,
    upstreamPorts,
    received: () => Buffer.concat(chunks),
    refuseWith: (s) => {
      refusal = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
