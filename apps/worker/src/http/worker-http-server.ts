import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Telemetry } from '@journeyline/kafka';

export interface WorkerHttpServer {
  port: number;
  close(): Promise<void>;
}

export interface WorkerHttpRoutes {
  /** The health document; `ok: false` answers 503 so a load balancer or orchestrator can act on it. */
  health(): Promise<{ ok: boolean; body: unknown }>;
  telemetry: Telemetry;
}

/**
 * The worker's operational surface on a small plain HTTP server (no API here, so no framework):
 * `GET /health` (JSON) and `GET /metrics` (Prometheus text format).
 */
export async function startWorkerHttpServer(host: string, port: number, routes: WorkerHttpRoutes): Promise<WorkerHttpServer> {
  const server = http.createServer((request, response) => {
    const url = (request.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply(405, 'application/json', JSON.stringify({ statusCode: 405, message: 'only GET /health and GET /metrics' }));
    const answer = async () => {
      if (url === '/health') {
        const health = await routes.health();
        return reply(health.ok ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(health.body));
      }
      if (url === '/metrics') return reply(200, routes.telemetry.contentType, await routes.telemetry.render());
      return reply(404, 'application/json', JSON.stringify({ statusCode: 404, message: `no route ${url}; try /health or /metrics` }));
    };
    answer().catch((error) => reply(500, 'application/json', JSON.stringify({ statusCode: 500, message: String(error) })));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
