/** Shapes an OpenAPI document into what the reference page lists: operations grouped by tag. */

interface OpenApiDoc {
  paths?: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: { type?: string; enum?: unknown[] } }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** A stable anchor for an operation. */
const anchor = (method: string, path: string) => `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, '');

export function referenceModel(doc: unknown) {
  const paths = (doc as OpenApiDoc).paths ?? {};
  const groups = new Map<string, unknown[]>();
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      const body = op.requestBody?.content ? Object.entries(op.requestBody.content)[0] : undefined;
      const list = groups.get(tag) ?? [];
      list.push({
        id: anchor(method, path), method: method.toUpperCase(), path, summary: op.summary ?? '',
        // A bearer token is needed only where a security requirement names it (the token endpoint takes client credentials).
        bearer: (op.security ?? []).some((r) => typeof r === 'object' && r !== null && 'bearer' in r),
        parameters: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: !!p.required, type: p.schema?.enum ? p.schema.enum.join(' | ') : (p.schema?.type ?? '') })),
        body: body ? { mediaType: body[0], schema: JSON.stringify(body[1].schema, null, 2) } : null,
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({ status, description: r.description ?? '' })),
      });
      groups.set(tag, list);
    }
  }
  return { groups: [...groups.entries()].map(([tag, operations]) => ({ tag, id: anchor('tag', tag), operations })) };
}
