// The cover as bytes, for the integration that wants base64 rather than a URL: one bounded GET
// (size and time), never in anyone's way.
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

export interface CoverLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const COVER_LIMITS: CoverLimits = { maxBytes: 1024 * 1024, timeoutMs: 5000 };

export function fetchCover(url: string, limits: CoverLimits = COVER_LIMITS, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const fail = (why: string) => {
      req.destroy();
      reject(new Error(`cover ${url}: ${why}`));
    };
    const req = get(url, { signal, timeout: limits.timeoutMs }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}`);
      const type = res.headers['content-type'] ?? '';
      if (!type.startsWith('image/')) return fail(`not an image (${type || 'no content-type'})`);
      if (Number(res.headers['content-length']) > limits.maxBytes) return fail(`larger than ${limits.maxBytes} bytes`);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limits.maxBytes) fail(`larger than ${limits.maxBytes} bytes`);
        else chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', (err) => fail(err.message));
    });
    // the socket timeout covers a silent server; the overall deadline a slow trickle
    const deadline = setTimeout(() => fail(`no answer within ${limits.timeoutMs} ms`), limits.timeoutMs);
    req.on('timeout', () => fail(`no answer within ${limits.timeoutMs} ms`));
    req.on('error', (err) => reject(new Error(`cover ${url}: ${err.message}`)));
    req.on('close', () => clearTimeout(deadline));
  });
}
