/**
 * Fast paths: handlers that may answer a raw node:http request before Fastify sees it, for a route whose whole
 * per-request work is known and small (the public status lookup, docs/adr/0015-prepared-status-document.md).
 * A fast path answers only its common case and returns false for anything else, which Fastify then handles as
 * before: the same route, with its hooks, schema and error answers. Fastify's own server options (timeouts,
 * keep-alive, requests per socket) are applied to the server exactly as Fastify applies them to its own.
 */
import http from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/** Answers the request (true) or leaves it untouched for Fastify (false). */
export type FastPath = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

export function serverWithFastPaths(paths: ReadonlyArray<FastPath>): FastifyServerFactory {
  return (handler, options) => {
    const server = http.createServer(options.http ?? {}, (req, res) => {
      for (const path of paths) if (path(req, res)) return;
      handler(req, res);
    });
    const o = options as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number };
    if (o.keepAliveTimeout !== undefined) server.keepAliveTimeout = o.keepAliveTimeout;
    if (o.requestTimeout !== undefined) server.requestTimeout = o.requestTimeout;
    if (o.connectionTimeout !== undefined) server.setTimeout(o.connectionTimeout);
    if (o.maxRequestsPerSocket && o.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = o.maxRequestsPerSocket;
    return server;
  };
}
