/** The floor for CPU per request: bare node:http GETs of the status, paced like a poller (same verifications, same interval). */
import * as http from 'node:http';
import { sleep } from './stats';

function get(url: URL, path: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, path, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve();
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** CPU ms per request of `ids.length` bare loops, each GET then sleep(intervalMs), for `durationMs`. */
export async function bareCpuPerRequest(baseUrl: string, token: string, userId: string, ids: string[], intervalMs: number, durationMs: number): Promise<{ cpuMsPerRequest: number; requests: number }> {
  const url = new URL(baseUrl);
  const end = Date.now() + durationMs;
  let requests = 0;
  const c0 = process.cpuUsage();
  await Promise.all(
    ids.map(async (id, i) => {
      await sleep((i / ids.length) * intervalMs); // spread the start over one interval
      while (Date.now() < end) {
        await get(url, `/api/2/mfa/users/${userId}/verifications/${encodeURIComponent(id)}`, token);
        requests++;
        await sleep(intervalMs);
      }
    }),
  );
  const c = process.cpuUsage(c0);
  return { cpuMsPerRequest: (c.user + c.system) / 1000 / Math.max(1, requests), requests };
}
