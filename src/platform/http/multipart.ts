/**
 * Uploads (multipart/form-data), only where a route takes files: `registerUploads(scope, limits)` adds the
 * multipart parser to that encapsulated scope alone, so no other route starts accepting multipart bodies.
 * `readUpload` reads every part into memory within the limits (the files' bytes are checked by their owner):
 * over a limit it throws `413 payload-too-large` naming the limit, after unhooking the parser from the request, so
 * the error answer can drain the rest of the body (body-drain.ts) and a client that sends it all first reads it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { AppError } from '../errors/catalogue.ts';
import { drainRequestBody, drained, type DrainLimits } from './body-drain.ts';

export interface UploadLimits {
  /** The most bytes of one file. */
  fileBytes: number;
  /** The most files in one upload. */
  files: number;
  /** The most bytes of one whole upload (its Content-Length, or counted as it arrives). */
  totalBytes: number;
}

export interface UploadedFile {
  /** The form field's name. */
  field: string;
  /** The name the sender gave (unchecked: display it only after sanitising). */
  fileName: string;
  bytes: Buffer;
}

export interface Upload {
  /** Plain fields, the first value of each name, at most 4 KiB each. */
  fields: Record<string, string>;
  /** The files sent, in order; a file input left empty (no name, no bytes) is not one. */
  files: UploadedFile[];
}

const MB = 1024 * 1024;
const mb = (n: number) => `${Math.round(n / MB)} MB`;

/** Adds the multipart parser to this scope (call inside an encapsulated `register`). */
export async function registerUploads(scope: FastifyInstance, limits: UploadLimits): Promise<void> {
  await scope.register(multipart, {
    // busboy's limits: a file past fileBytes and a file past `files` are refused (413) as they arrive.
    limits: { fileSize: limits.fileBytes, files: limits.files, fields: 20, fieldSize: 4096, parts: limits.files + 20, headerPairs: 50 },
    throwFileSizeLimit: true,
  });
}

/** The 413 for each of multipart's own limit errors, in words, naming the limit. */
function limitError(err: unknown, limits: UploadLimits): AppError | null {
  const code = (err as { code?: string } | null)?.code;
  const name = (err as { part?: { filename?: string } } | null)?.part?.filename;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload-too-large', `${name ? `"${name}" is` : 'A file is'} larger than ${mb(limits.fileBytes)}; each file may be at most ${mb(limits.fileBytes)}.`, { extensions: { limit: 'file-bytes', max: limits.fileBytes, ...(name ? { fileName: name } : {}) } });
    case 'FST_FILES_LIMIT':
      return new AppError('payload-too-large', `At most ${limits.files} files may be sent at once.`, { extensions: { limit: 'files', max: limits.files } });
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('payload-too-large', 'The form has more fields than this page sends.', { extensions: { limit: 'fields' } });
  }
  return null;
}

const tooLarge = (limits: UploadLimits) =>
  new AppError('payload-too-large', `The upload is larger than ${mb(limits.totalBytes)}; send at most ${mb(limits.totalBytes)} at once.`, { extensions: { limit: 'request-bytes', max: limits.totalBytes } });

/**
 * Reads an upload within the limits. Throws 415 when the body is not multipart/form-data, 413 over a limit,
 * 400 when the multipart body is broken; the request is left for the error answer to drain.
 */
export async function readUpload(request: FastifyRequest, limits: UploadLimits): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('unsupported-media-type', 'Send the files as multipart/form-data.');
  const declared = Number(request.headers['content-length']);
  // The files' bytes are counted as they come; the declared length may add 1 MB of framing and fields.
  if (Number.isFinite(declared) && declared > limits.totalBytes + MB) throw tooLarge(limits);
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let total = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
        continue;
      }
      const bytes = await part.toBuffer();
      // Belt and braces: multipart marks a file cut at the limit as truncated.
      if (part.file.truncated) throw Object.assign(new Error('truncated'), { code: 'FST_REQ_FILE_TOO_LARGE', part });
      total += bytes.length;
      if (total > limits.totalBytes) throw tooLarge(limits);
      if (bytes.length === 0 && !part.filename) continue;
      files.push({ field: part.fieldname, fileName: part.filename, bytes });
    }
  } catch (err) {
    // Stop feeding the parser, so the rest of the body can be read (and discarded) before the answer.
    request.raw.unpipe();
    if (err instanceof AppError) throw err;
    const limit = limitError(err, limits);
    if (limit) throw limit;
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) throw new AppError('invalid-request', 'The multipart body is not valid.');
    throw err;
  }
  return { fields, files };
}

/**
 * For a page that answers a refused upload itself (the form again, with the error): reads the rest of the body
 * first, within the limits, so the browser reads the page; beyond them, the connection closes after the answer.
 */
export async function drainBeforeAnswer(request: FastifyRequest, reply: FastifyReply, limits: DrainLimits): Promise<void> {
  if (!request.raw.complete && !drained(await drainRequestBody(request.raw, limits))) reply.header('connection', 'close');
}
