import * as net from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on now (the OS picks it), for a process a test starts and restarts on the same port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
