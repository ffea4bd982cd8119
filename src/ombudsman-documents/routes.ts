/**
 * Documents of Ombudsman case assistance requests, for the Ombudsman's staff: attach one received by mail
 * (multipart, in its own scope: no other route accepts multipart), list a request's documents, download one.
 */
import type { App } from '../platform/http/types.ts';
import { problems } from '../platform/http/types.ts';
import { readUpload, registerUploads } from '../platform/http/multipart.ts';
import { RequestParams } from '../ombudsman/schema.ts';
import { MAX_FILES_PER_REQUEST, UPLOAD_DRAIN_LIMITS, UPLOAD_LIMITS } from './policy.ts';
import { contentDisposition, type CaseAssistanceDocumentService } from './service.ts';
import { Attached, DocumentList, DocumentParams, DownloadResponse, LIMITS_TEXT, UploadBody } from './schema.ts';

const TAG = 'Ombudsman';
const staff = [{ bearer: [] }];

export async function caseAssistanceDocumentRoutes(app: App, deps: { documents: CaseAssistanceDocumentService }): Promise<void> {
  const docs = deps.documents;

  await app.register(async (scope) => {
    await registerUploads(scope, UPLOAD_LIMITS);
    scope.post('/api/v1/ombudsman/case-assistance/:requestNumber/documents', {
      config: { documentedBody: UploadBody, drainLimits: UPLOAD_DRAIN_LIMITS },
      schema: {
        tags: [TAG], operationId: 'attachCaseAssistanceDocuments', security: staff,
        summary: 'Attach documents to a request, such as ones received by mail (Ombudsman)',
        description: LIMITS_TEXT, params: RequestParams,
        response: { 201: Attached, ...problems(400, 401, 403, 404, 413, 415) },
      },
    }, async (request, reply) => {
      // Who asks first: nobody else's upload is read.
      const actor = await request.actor();
      await docs.list(actor, (request.params as { requestNumber: string }).requestNumber);
      const upload = await readUpload(request, UPLOAD_LIMITS);
      const items = await docs.attach(actor, (request.params as { requestNumber: string }).requestNumber, upload.files, request.id);
      return reply.code(201).send({ items });
    });
  });

  app.get('/api/v1/ombudsman/case-assistance/:requestNumber/documents', {
    schema: {
      tags: [TAG], operationId: 'listCaseAssistanceDocuments', security: staff, summary: 'A request\'s documents: name, kind, size, SHA-256 (Ombudsman)',
      params: RequestParams, response: { 200: DocumentList, ...problems(401, 403, 404) },
    },
  }, async (request) => {
    const items = await docs.list(await request.actor(), request.params.requestNumber);
    return { items, page: 1, pageSize: MAX_FILES_PER_REQUEST, total: items.length };
  });

  app.get('/api/v1/ombudsman/case-assistance/:requestNumber/documents/:documentId', {
    schema: {
      tags: [TAG], operationId: 'downloadCaseAssistanceDocument', security: staff,
      summary: 'Download one document (Ombudsman; every download audited with the request it is for)',
      params: DocumentParams, response: { 200: DownloadResponse, ...problems(401, 403, 404) },
    },
  }, async (request, reply) => {
    const d = await docs.download(await request.actor(), request.params.requestNumber, request.params.documentId, request.id);
    return reply.type(d.mediaType).header('content-disposition', contentDisposition(d.fileName)).header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store').header('content-length', String(d.content.length)).send(d.content);
  });
}
