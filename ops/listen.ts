import { createServer, type Server } from 'node:net';

/**
 * `server.listen` as a promise that fails with a clear error (naming what and where) when the port is
 * taken or not allowed, instead of an unhandled 'error' event that kills the process. No host means
 * every interface, as `listen(port)` does.
 */
export function listen(server: Server, what: string, port: number, host?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EADDRINUSE' ? 'the port is already in use' : err.message;
      const where = host === undefined ? `port ${port}` : `${host}:${port}`;
      reject(new Error(`${what} cannot listen on ${where}: ${reason}`, { cause: err }));
    };
    server.once('error', fail);
    const done = () => {
      server.off('error', fail);
      resolve();
    };
    if (host === undefined) server.listen(port, done);
    else server.listen(port, host, done);
  });
}

/** A loopback port free at this moment (the kernel's pick), for servers started right after. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await listen(server, 'a free-port probe', 0, '127.0.0.1');
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}
