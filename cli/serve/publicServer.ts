import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config } from '../../domain/config';
import { verifyUnsubscribeToken } from '../../mail/unsubscribeToken';
import type { Db } from '../../store/db';
import { getUser, setUserStatus } from '../../store/users';
import type { Logger } from '../../ops/logger';
import { confirmPage, CONTENT_SECURITY_POLICY, donePage, invalidPage } from './unsubscribePage';

const MAX_BODY_BYTES = 16 * 1024;

/**
 * What users reach at PUBLIC_BASE_URL: `/unsubscribe` (GET shows a confirmation page; POST, as sent by
 * mail clients' one-click unsubscribe per RFC 8058 or by the page's button, unsubscribes at once, with
 * no login or cookie) and `/healthz`.
 */
export function createPublicServer(deps: { config: Config; db: Db; logger: Logger }): Server {
  const secret = deps.config.unsubscribeSecret;
  if (!secret) throw new Error('UNSUBSCRIBE_SECRET must be set to serve unsubscribe links');
  // Links signed with a rotated-out secret keep working while it is listed as a previous one.
  const secrets = [secret, ...deps.config.unsubscribePreviousSecrets];
  const basePath = new URL(deps.config.publicBaseUrl).pathname.replace(/\/+$/, '');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.startsWith(basePath)
      ? url.pathname.slice(basePath.length) || '/'
      : url.pathname;
    if (path === '/healthz') {
      await deps.db.query('SELECT 1');
      return send(res, 200, 'application/json', '{"status":"ok"}');
    }
    if (path !== '/unsubscribe') return send(res, 404, 'text/plain', 'not found\n');
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return send(res, 405, 'text/plain', 'method not allowed\n');
    }
    const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : new URLSearchParams();
    const token = url.searchParams.get('token') ?? form.get('token') ?? '';
    const verified = verifyUnsubscribeToken(token, secrets);
    const user = verified ? await getUser(deps.db, Number(verified.userId)) : null;
    if (!user) return send(res, 400, 'text/html; charset=utf-8', invalidPage());
    if (req.method === 'GET')
      return send(res, 200, 'text/html; charset=utf-8', confirmPage(token, user.email));
    if (user.status === 'active') {
      await setUserStatus(deps.db, user.id, 'unsubscribed', 'unsubscribed by the user');
      deps.logger.info(
        { userId: user.id, keyId: verified!.keyId, oneClick: form.get('List-Unsubscribe') === 'One-Click' },
        'user unsubscribed',
      );
    }
    return send(res, 200, 'text/html; charset=utf-8', donePage(user.email));
  }

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.logger.error({ err }, 'public endpoint failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
    });
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    // No other site may frame these pages (a framed unsubscribe button invites clickjacking).
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
