/**
 * The JSON body parser: rejects malformed JSON, prototype-pollution keys (__proto__, constructor.prototype)
 * and hostile nesting with 400 invalid-request before any handler sees the body.
 */
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { AppError } from '../errors/catalogue.ts';

/** Deeper than any real request; deep enough to stop stack-exhaustion payloads cheaply. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a JSON text, counted without parsing (strings are skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** The message secure-json-parse throws when it finds __proto__ or constructor.prototype. */
const FORBIDDEN_KEY_ERROR = 'Object contains forbidden prototype property';

/** Parses a JSON request body safely, or throws a 400 problem. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new AppError('invalid-request', 'The request body is empty; send a JSON document.');
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new AppError('invalid-request', `The JSON document is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  try {
    // Plain JSON.parse unless a forbidden key could be present (secure-json-parse then finds it exactly).
    if (!text.includes('__proto__') && !text.includes('constructor') && !text.includes('\\u')) return JSON.parse(text);
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    // Only secure-json-parse's own refusal names a forbidden key. JSON.parse's messages quote the text, so a
    // malformed body that merely contains the word "prototype" is still "not valid JSON".
    const hostile = err instanceof SyntaxError && err.message === FORBIDDEN_KEY_ERROR;
    throw new AppError('invalid-request', hostile ? 'The JSON document contains a forbidden key (__proto__ or constructor.prototype).' : 'The request body is not valid JSON.');
  }
}

/** Replaces Fastify's JSON parser and drops the text/plain one, so a non-JSON body answers 415. */
export function registerJsonBody(app: FastifyInstance): void {
  // Fastify lets its own application/json parser be replaced by adding one; text/plain has to go.
  app.removeContentTypeParser('text/plain');
  const parser = (_req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    try {
      done(null, parseJsonBody(String(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
  // Fastify tests a pattern against the whole header as it normalises it (`application/x+json; charset="utf-8"`),
  // so the pattern ends at the media type's end or at its parameters.
  app.addContentTypeParser(/^application\/[a-z0-9.+-]+\+json(?:;|$)/, { parseAs: 'string' }, parser);
}
