import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { listen } from '../ops/listen';
import { sharedDir } from './sharedDir';

export interface Override {
  status?: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Serve this file (relative to the mount's folder) instead of the one at the path. */
  file?: string;
  /** Hold the answer this long (to exercise timeouts). */
  delayMs?: number;
  /** Answer from the full request URL (query included) and its headers, e.g. to page through an API. */
  handler?: (url: URL, headers: IncomingHttpHeaders) => Override;
}

/**
 * Local copies of the upstream sites, served with the real sites' paths under a prefix per site:
 * `/house/public_disc/...` is the House Clerk, `/congress/...` Congress.gov, `/prices/...` price APIs.
 * Static files get an ETag and Last-Modified and answer conditional GETs with 304, as the real sites do.
 * Tests override single paths to simulate upstream changes and failures.
 */
export class FixtureSites {
  private server: Server | null = null;
  private readonly overrides = new Map<string, Override>();
  readonly requests: { method: string; path: string; status: number }[] = [];
  readonly mounts: Record<string, string>;

  constructor(readonly root = join(sharedDir(), 'fixtures')) {
    this.mounts = {
      house: join(root, 'house-clerk'),
      congress: join(root, 'congress-gov'),
      prices: join(root, 'prices'),
    };
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
    });
    await listen(this.server, 'the local upstream sites (DEV_FIXTURES_PORT)', port, host);
    return this.baseUrl;
  }

  get baseUrl(): string {
    const addr = this.server?.address();
    if (!addr || typeof addr === 'string') throw new Error('fixture sites not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  url(site: keyof FixtureSites['mounts'] | string): string {
    return `${this.baseUrl}/${site}`;
  }

  override(path: string, answer: Override): void {
    this.overrides.set(path, answer);
  }

  clearOverrides(): void {
    this.overrides.clear();
  }

  countRequests(pathPrefix: string): number {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix)).length;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server!.close(() => ok()));
    this.server = null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const record = (status: number) => this.requests.push({ method: req.method ?? 'GET', path, status });
    const [, site = '', ...rest] = path.split('/');
    const mount = this.mounts[site];
    const registered = this.overrides.get(path);
    const override = registered?.handler
      ? registered.handler(new URL(req.url ?? '/', 'http://x'), req.headers)
      : registered;
    if (override?.delayMs) await new Promise((ok) => setTimeout(ok, override.delayMs));
    if (override && !override.file) {
      const etag = override.headers?.etag;
      if (etag && req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        record(304);
        return;
      }
      const status = override.status ?? 200;
      res.writeHead(status, override.headers ?? {});
      res.end(override.body ?? '');
      record(status);
      return;
    }
    if (!mount) {
      res.writeHead(404).end('no such site');
      record(404);
      return;
    }
    const rel = override?.file ?? rest.join('/');
    const file = normalize(join(mount, rel));
    if (!file.startsWith(mount + sep)) {
      res.writeHead(403).end();
      record(403);
      return;
    }
    let info;
    try {
      info = await stat(file);
    } catch {
      info = null;
    }
    if (!info?.isFile()) {
      // The Clerk answers a missing PTR with an HTML page and status 404.
      const notFound = await readFile(join(this.mounts.house!, 'errors/404-ptr-not-yet-posted.html'));
      res.writeHead(404, { 'content-type': 'text/html' }).end(notFound);
      record(404);
      return;
    }
    const body = await readFile(file);
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    const lastModified = info.mtime.toUTCString();
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'last-modified': lastModified }).end();
      record(304);
      return;
    }
    res.writeHead(override?.status ?? 200, {
      'content-type': contentType(file),
      'content-length': String(body.length),
      etag,
      'last-modified': lastModified,
      ...override?.headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    record(override?.status ?? 200);
  }
}

function contentType(file: string): string {
  if (file.endsWith('.pdf')) return 'application/pdf';
  if (file.endsWith('.zip')) return 'application/zip';
  if (file.endsWith('.json')) return 'application/json';
  if (file.endsWith('.xml')) return 'application/xml';
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  return 'text/plain; charset=utf-8';
}
