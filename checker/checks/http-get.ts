// A plain GET over node:http. fetch() would do, but its first call in a process costs ~30 ms
// of set-up, and step 01's whole check takes less than a second.
import { get } from 'node:http';

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export class HttpTimeoutError extends Error {}

export function httpGet(url: URL, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', body }));
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new HttpTimeoutError(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
