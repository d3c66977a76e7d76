/**
 * Slow and greedy clients against the real server over real sockets: a client trickling its
 * headers or its body, or opening more connections than allowed, is cut off after the configured
 * time instead of holding the server's sockets for ever.
 */
import * as net from 'node:net';
import { http, serverForSuite, type RunningServer } from './support/running-server';

interface Outcome {
  closedAfterMs: number;
  received: string;
}

/** Opens a socket, runs `talk` on it, resolves when the server closes it (or after `giveUpMs`). */
function converse(server: RunningServer, talk: (socket: net.Socket) => void, giveUpMs = 8000): Promise<Outcome> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const started = Date.now();
    let received = '';
    const socket = net.connect(Number(port), '127.0.0.1', () => talk(socket));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
  });
}

/** Writes `chunks` one every `everyMs`, stopping when the socket closes. */
function trickle(socket: net.Socket, chunks: string[], everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= chunks.length) return clearInterval(timer);
    socket.write(chunks[i++]);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

describe('slow clients (e2e)', () => {
  const timeouts = { JOURNEYLINE_HEADERS_TIMEOUT_MS: '600', JOURNEYLINE_REQUEST_TIMEOUT_MS: '1200', JOURNEYLINE_KEEP_ALIVE_TIMEOUT_MS: '500' };
  const running = serverForSuite({ ...timeouts, JOURNEYLINE_MAX_CONNECTIONS: '8' });

  it('a client sending one header line at a time is closed after the headers timeout', async () => {
    const outcome = await converse(running(), (socket) => {
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      trickle(
        socket,
        Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: 1\r\n`),
        100,
      );
    });
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(500);
    expect(outcome.closedAfterMs).toBeLessThan(4000);
    expect(outcome.received).not.toMatch(/^HTTP\/1.1 200/);
  });

  it('a client trickling its body is closed after the request timeout', async () => {
    const outcome = await converse(running(), (socket) => {
      socket.write('POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
      trickle(
        socket,
        Array.from({ length: 200 }, () => ' '),
        50,
      );
    });
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(1000);
    expect(outcome.closedAfterMs).toBeLessThan(5000);
    expect(outcome.received).not.toMatch(/^HTTP\/1.1 200/);
  });

  it('a connection that never sends a request is closed too', async () => {
    const outcome = await converse(running(), () => undefined);
    expect(outcome.closedAfterMs).toBeLessThan(5000);
  });

  it('connections beyond JOURNEYLINE_MAX_CONNECTIONS are refused, the rest still served', async () => {
    const { port } = new URL(running().url);
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        held.push(
          await new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(port), '127.0.0.1', () => resolve(socket));
            socket.on('error', () => undefined);
          }),
        );
      }
      const extra = await converse(running(), (socket) => socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 3000);
      expect(extra.received).toBe('');
      expect(extra.closedAfterMs).toBeLessThan(1000);
    } finally {
      for (const socket of held) socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await http(running(), 'GET', '/health')).status).toBe(200);
  });
});
