/** TypeBox schemas of the documents sent with case assistance requests. */
import { Type } from '@fastify/type-provider-typebox';
import { ListOf } from '../platform/http/types.ts';
import { ALLOWED_MEDIA_TYPES, MAX_FILES_PER_REQUEST, MAX_FILE_BYTES, MAX_REQUEST_BYTES, megabytes } from './policy.ts';

export const DocumentParams = Type.Object({
  requestNumber: Type.String({ maxLength: 20, description: '"CA" and 9 digits' }),
  documentId: Type.String({ maxLength: 40 }),
});

export const Document = Type.Object({
  id: Type.String(),
  fileName: Type.String({ description: 'The name it was sent with, made safe (no folders or control characters), ending in its kind\'s extension' }),
  mediaType: Type.Unsafe<(typeof ALLOWED_MEDIA_TYPES)[number]>({ type: 'string', enum: [...ALLOWED_MEDIA_TYPES], description: 'Recognised from the bytes, never from the name' }),
  size: Type.Integer({ description: 'Bytes' }),
  sha256: Type.String({ description: 'SHA-256 of the bytes, hex' }),
  uploadedAt: Type.String({ format: 'date-time' }),
  uploadedBy: Type.String({ description: '`public` (the person, with the form) or the staff member who attached it' }),
}, { description: 'A document of a case assistance request' });

export const DocumentList = ListOf(Document, 'The request\'s documents, oldest first (at most 5)');
export const Attached = Type.Object({ items: Type.Array(Document) }, { description: 'The documents attached by this upload' });

export const LIMITS_TEXT = `PDF, JPEG or PNG, recognised by their bytes (anything else answers 415 naming the file); at most ${megabytes(MAX_FILE_BYTES)} MB a file, `
  + `${MAX_FILES_PER_REQUEST} files and ${megabytes(MAX_REQUEST_BYTES)} MB a request, counting the documents it already has (413 \`payload-too-large\` naming the limit, `
  + 'read after the whole body was sent).';

/** The upload as the document describes it (the route reads its own multipart body). */
export const UploadBody = {
  description: 'One or more files, each in a part named `file`',
  content: {
    'multipart/form-data': {
      schema: { type: 'object', properties: { file: { type: 'array', items: { type: 'string', format: 'binary' }, maxItems: MAX_FILES_PER_REQUEST } }, required: ['file'] },
    },
  },
};

/** A download's body: the document's bytes, in the type recognised from them. */
export const DownloadResponse = {
  description: 'The document\'s bytes, as an attachment (`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, `Cache-Control: no-store`)',
  headers: {
    'Content-Disposition': { type: 'string', description: '`attachment` with the file name (ASCII and UTF-8 forms)' },
    'X-Content-Type-Options': { type: 'string', description: '`nosniff`' },
  },
  content: Object.fromEntries(ALLOWED_MEDIA_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
};
