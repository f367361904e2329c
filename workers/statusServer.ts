import { createServer, type Server } from 'node:http';
import { request } from 'undici';
import { listen } from '../ops/listen';

/**
 * `/healthz` (200 while every worker is running, else 503, with each worker's state) and `/metrics`
 * (the Temporal runtime's Prometheus exporter, served from our port so one scrape target suffices).
 */
export async function startStatusServer(opts: {
  port: number;
  host?: string;
  states: () => Record<string, string>;
  metricsUrl: string | null;
}): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const states = opts.states();
      const healthy = Object.values(states).length > 0 && Object.values(states).every((s) => s === 'RUNNING');
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable', workers: states }));
      return;
    }
    if (path === '/metrics' && opts.metricsUrl) {
      request(opts.metricsUrl)
        .then(async (upstream) => {
          res.writeHead(upstream.statusCode, { 'content-type': 'text/plain; version=0.0.4' });
          res.end(await upstream.body.text());
        })
        .catch((err: unknown) => {
          res.writeHead(503).end(`metrics unavailable: ${(err as Error).message}\n`);
        });
      return;
    }
    res.writeHead(404).end('not found\n');
  });
  await listen(server, 'the worker status server (WORKER_HTTP_PORT)', opts.port, opts.host ?? '0.0.0.0');
  return server;
}
