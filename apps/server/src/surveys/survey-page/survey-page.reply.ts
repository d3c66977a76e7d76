import type { FastifyReply } from 'fastify';

/**
 * Sends one of the survey's pages: HTML, never cached (a page names a customer's link), never
 * indexed. The app's Content-Security-Policy (no script at all may run; inline style allowed)
 * applies unchanged: the pages have no script.
 */
export function sendPage(reply: FastifyReply, status: number, html: string): void {
  void reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(html);
}
