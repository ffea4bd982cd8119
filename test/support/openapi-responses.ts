/**
 * Checks a response against the app's own OpenAPI document: the status is declared for that operation, the
 * media type is declared for that status, and the body validates against its schema (Ajv, JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1). startTestApp runs it on every app.inject() response, so a route that
 * drifts from its document fails the test that exercised it. Pages, static assets and routes hidden from the
 * document are not checked; a JSON answer under an API path that the document does not list is a failure.
 */
import type { LightMyRequestResponse } from 'fastify';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import FindMyWay from 'find-my-way';
import { isApiPath } from '../../src/platform/http/openapi.ts';

// ajv-formats is CommonJS: its default export is the function itself, or a namespace holding it.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, unknown>;
interface MediaType { schema?: Json }
interface ResponseObject { description: string; content?: Record<string, MediaType> }
interface Operation { operationId?: string; responses: Record<string, ResponseObject> }
interface Document { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Json> } }

const COMPONENTS = 'urn:switchboard:openapi:components';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `#/components/schemas/X` → a reference into the one schema holding every component. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
    ? `${COMPONENTS}#/$defs/${v.slice('#/components/schemas/'.length)}` : rewriteRefs(v)]));
}

const isJson = (media: string) => media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);

export class ResponseMismatch extends Error {
  override name = 'ResponseMismatch';
}

export interface ResponseChecker {
  check(res: LightMyRequestResponse): void;
}

export function responseChecker(doc: Document): ResponseChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS, $defs: rewriteRefs(doc.components?.schemas ?? {}) as Json });

  const router = FindMyWay({ ignoreTrailingSlash: true });
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      if (item[method]) router.on(method.toUpperCase() as 'GET', path.replace(/\{([^}]+)\}/g, ':$1'), () => {}, { path, method });
    }
  }

  const compiled = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: Json) => {
    let v = compiled.get(key);
    if (!v) compiled.set(key, v = ajv.compile(rewriteRefs(schema) as Json));
    return v;
  };

  return {
    check(res) {
      const method = res.raw.req.method ?? 'GET';
      const url = res.raw.req.url ?? '/';
      const path = url.split('?')[0]!;
      const status = res.statusCode;
      const media = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const fail = (operation: string, what: string): never => {
        const body = res.body.length > 400 ? `${res.body.slice(0, 400)}…` : res.body;
        throw new ResponseMismatch(`The response does not match the OpenAPI document (GET /api/v1/openapi.json):\n  ${method} ${url} answered ${status} ${media || '(no Content-Type)'}\n  operation: ${operation}\n  ${what}\n  body: ${body}`);
      };
      if (method === 'HEAD' || method === 'OPTIONS') return;

      const found = router.find(method as 'GET', path);
      if (!found) {
        // Not an operation of the document: fine for pages and assets, and for the app's own answers to a request
        // no route took (400 for an address that cannot be decoded, 404, 405).
        const unrouted = [400, 404, 405].includes(status) && media === 'application/problem+json';
        if (isApiPath(path) && isJson(media) && !unrouted) fail('(none)', `${path} answers JSON under an API path but is not in the document: document the route (tags, summary, responses).`);
        return;
      }
      const { path: template, method: m } = found.store as { path: string; method: string };
      const operation = doc.paths[template]![m]!;
      const name = `${m.toUpperCase()} ${template} (${operation.operationId ?? 'no operationId'})`;
      const declared = Object.keys(operation.responses);
      const response = operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`] ?? operation.responses.default;
      if (!response) return fail(name, `status ${status} is not declared (declared: ${declared.join(', ')}).`);

      if (!response.content) {
        if (res.rawPayload.length) fail(name, `status ${status} is declared without a body, but ${res.rawPayload.length} bytes were sent.`);
        return;
      }
      const types = Object.keys(response.content);
      const mediaType = response.content[media] ?? response.content[`${media.split('/')[0]}/*`] ?? response.content['*/*'];
      if (!mediaType) return fail(name, `media type ${media || '(none)'} is not declared for ${status} (declared: ${types.join(', ')}).`);
      if (!mediaType.schema) return;

      let body: unknown = res.body;
      if (isJson(media)) {
        try {
          body = JSON.parse(res.body);
        } catch {
          return fail(name, `the body is not JSON although the media type is ${media}.`);
        }
      }
      const validate = validator(`${name} ${status} ${media}`, mediaType.schema);
      if (!validate(body)) {
        const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
        fail(name, `the body does not match the schema for ${status} ${media}:\n    ${errors.join('\n    ')}`);
      }
    },
  };
}
