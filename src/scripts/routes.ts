/** The scripts API (CONTRACT.md section 8): short pipelines over ScriptService. */
import type { App } from '../platform/http/types.ts';
import { ListOf, problems } from '../platform/http/types.ts';
import type { ScriptService } from './service.ts';
import { ContactParams, Script, SearchQuery, UseBody, Used } from './schema.ts';

const TAG = 'Scripts';
const staff = [{ bearer: [] }];

export function scriptRoutes(app: App, deps: { scripts: ScriptService }): void {
  const { scripts } = deps;

  app.get('/api/v1/scripts', {
    schema: {
      tags: [TAG], operationId: 'searchScripts', security: staff, summary: 'Search the approved scripts (Tier 1, Tier 2)',
      description: 'The latest published version of each matching script in the language, best first. Accents and case are ignored; a word also matches as the start of a longer one.',
      querystring: SearchQuery, response: { 200: ListOf(Script, 'One page of scripts, best first'), ...problems(400, 401, 403) },
    },
  }, async (request) => {
    const q = request.query;
    return scripts.search(await request.actor(), q.q, q.lang, q.page ?? 1, q.pageSize ?? 50);
  });

  app.post('/api/v1/contacts/:id/scripts', {
    schema: {
      tags: [TAG], operationId: 'useScript', security: staff, summary: 'Record the script used on a call (its id and version)',
      description: 'Only the agent who may act on the open call. An unknown script answers 404.',
      params: ContactParams, body: UseBody, response: { 201: Used, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const used = await scripts.use(await request.actor(), request.params.id, request.body, request.id);
    return reply.code(201).send(used);
  });
}
