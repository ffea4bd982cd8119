/**
 * Documents sent with Ombudsman case assistance requests (issue 10, "Documents"). PDF, JPEG and PNG only,
 * recognised by their bytes (file-type), never by the name or the declared type; at most 10 MB a file and 5 files
 * and 25 MB a request (policy.ts). The public form keeps them in its draft (by the draft's token hash) until the
 * draft is sent, when they move to the request in the sending transaction; the Ombudsman's staff may attach one
 * received by mail. Only the Ombudsman lists and downloads them, each download audited with the request it was
 * for. Every change commits with its audit entry; file names are what the person wrote (PII): shown to analysts,
 * never written to the audit trail (only counts, types and sizes).
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Database } from '../platform/db/schema.ts';
import type { AuditService } from '../audit/service.ts';
import { actorLabel, type Actor } from '../platform/actor.ts';
import { authorize } from '../platform/authorize.ts';
import { AppError } from '../platform/errors/catalogue.ts';
import { newId } from '../platform/ids.ts';
import { notFoundRequest, parseRequestNumber } from '../ombudsman/checks.ts';
import { ALLOWED_MEDIA_TYPES, MAX_FILES_PER_REQUEST, MAX_FILE_BYTES, MAX_FILE_NAME_LENGTH, MAX_REQUEST_BYTES, megabytes, type DocumentMediaType } from './policy.ts';
import * as store from './store.ts';
import type { DocumentInfo } from './store.ts';

export interface DocumentsDeps {
  db: Db;
  audit: AuditService;
  clock?: () => Date;
}

/** A file as received: the name given and its bytes. */
export interface IncomingFile { fileName: string; bytes: Buffer }

type Recognised = IncomingFile & { mediaType: DocumentMediaType; name: string };

/** A document as listed (never its bytes). */
export interface DocumentView {
  id: string;
  fileName: string;
  mediaType: DocumentMediaType;
  size: number;
  sha256: string;
  uploadedAt: string;
  /** 'public' (the person, through the form) or the staff member who attached it. */
  uploadedBy: string;
}

/** A download: the bytes and how to send them. */
export interface DocumentDownload extends DocumentView { content: Buffer }

const EXTENSIONS: Record<DocumentMediaType, string[]> = { 'application/pdf': ['pdf'], 'image/jpeg': ['jpg', 'jpeg'], 'image/png': ['png'] };

/**
 * The name as given, made safe to show and to put in Content-Disposition: no folders, no control or reserved
 * characters, at most 120 characters, and ending in the extension of what the bytes are.
 */
export function sanitiseFileName(given: string, mediaType: DocumentMediaType): string {
  let name = cleanName(given);
  const ext = EXTENSIONS[mediaType];
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(name);
  let stem = m && ext.includes(m[1]!.toLowerCase()) ? name.slice(0, -m[0].length) : name;
  const suffix = m && ext.includes(m[1]!.toLowerCase()) ? m[0] : `.${ext[0]}`;
  if (stem === '') stem = 'document';
  stem = [...stem].slice(0, MAX_FILE_NAME_LENGTH - suffix.length).join('').trimEnd();
  name = `${stem}${suffix}`;
  return name;
}

/** The name as given without folders, control or reserved characters (for messages and, with its extension, storage). */
export function cleanName(given: string): string {
  const base = (given ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  return [...base.replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|;]/g, '').replace(/\s+/g, ' ').replace(/^[.\s]+|[.\s]+$/g, '')].slice(0, MAX_FILE_NAME_LENGTH).join('');
}

const view = (d: DocumentInfo): DocumentView => ({
  id: d.id, fileName: d.file_name, mediaType: d.media_type as DocumentMediaType, size: d.size, sha256: d.sha256, uploadedAt: d.uploaded_at, uploadedBy: d.uploaded_by,
});

const isAllowed = (mime: string | undefined): mime is DocumentMediaType => (ALLOWED_MEDIA_TYPES as readonly string[]).includes(mime ?? '');

export class CaseAssistanceDocumentService {
  readonly #clock: () => Date;

  constructor(private readonly deps: DocumentsDeps) {
    this.#clock = deps.clock ?? (() => new Date());
  }

  /**
   * Each file's kind from its bytes: 415 naming the first file that is not a PDF, JPEG or PNG (whatever its
   * name says), 413 naming one over the per-file limit.
   */
  async #recognise(files: readonly IncomingFile[]): Promise<Recognised[]> {
    const out: Recognised[] = [];
    for (const f of files) {
      const shown = cleanName(f.fileName);
      if (f.bytes.length > MAX_FILE_BYTES) {
        throw new AppError('payload-too-large', `"${f.fileName}" is larger than ${megabytes(MAX_FILE_BYTES)} MB; each file may be at most ${megabytes(MAX_FILE_BYTES)} MB.`, { extensions: { limit: 'file-bytes', max: MAX_FILE_BYTES, fileName: shown } });
      }
      const type = f.bytes.length ? await fileTypeFromBuffer(f.bytes) : undefined;
      if (!isAllowed(type?.mime)) {
        throw new AppError('unsupported-media-type', `"${shown || 'The file'}" is not a PDF, JPEG or PNG file. Send documents as PDF, JPEG or PNG.`, { extensions: { fileName: shown } });
      }
      out.push({ ...f, mediaType: type.mime, name: sanitiseFileName(f.fileName, type.mime) });
    }
    return out;
  }

  /** 413 when the documents already kept and these together pass the per-request limits. */
  #checkTotals(kept: readonly DocumentInfo[], incoming: readonly IncomingFile[]): void {
    if (kept.length + incoming.length > MAX_FILES_PER_REQUEST) {
      throw new AppError('payload-too-large', `A request may have at most ${MAX_FILES_PER_REQUEST} documents; it has ${kept.length}. Remove one first, or send fewer.`, { extensions: { limit: 'files', max: MAX_FILES_PER_REQUEST } });
    }
    const bytes = kept.reduce((n, d) => n + d.size, 0) + incoming.reduce((n, f) => n + f.bytes.length, 0);
    if (bytes > MAX_REQUEST_BYTES) {
      throw new AppError('payload-too-large', `The documents of one request may be at most ${megabytes(MAX_REQUEST_BYTES)} MB together.`, { extensions: { limit: 'request-bytes', max: MAX_REQUEST_BYTES } });
    }
  }

  async #insert(trx: Transaction<Database>, files: readonly Recognised[], owner: { draftHash: string } | { requestNumber: string }, by: string, at: string): Promise<DocumentInfo[]> {
    const rows: DocumentInfo[] = [];
    for (const f of files) {
      const row = {
        id: newId(), request_number: 'requestNumber' in owner ? owner.requestNumber : null, draft_hash: 'draftHash' in owner ? owner.draftHash : null,
        file_name: f.name, media_type: f.mediaType, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex'),
        uploaded_by: by, uploaded_at: at, removed_at: null,
      };
      await store.insertDocument(trx, { ...row, content: f.bytes });
      rows.push(row);
    }
    return rows;
  }

  /** The documents kept in a draft (the public form's documents step). */
  async ofDraft(draftHash: string): Promise<DocumentView[]> {
    return (await store.ofDraft(this.deps.db, draftHash)).map(view);
  }

  /** Keeps files in a draft: all or none; 404 when the draft is not there or already sent. */
  async addToDraft(draftHash: string, files: readonly IncomingFile[], traceId?: string): Promise<DocumentView[]> {
    if (files.length === 0) return [];
    const recognised = await this.#recognise(files);
    const at = this.#clock().toISOString();
    const rows = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.lockDraft(trx, draftHash))) throw new AppError('not-found', 'This draft is not there any more, or it was sent.');
      this.#checkTotals(await store.ofDraft(trx, draftHash), files);
      const rows = await this.#insert(trx, recognised, { draftHash }, 'public', at);
      await this.deps.audit.record(trx, {
        actor: 'public', action: 'case-assistance-document-add', subject: `case-assistance-draft:${draftHash.slice(0, 16)}`, outcome: 'allowed', traceId: traceId ?? null,
        detail: { files: rows.length, bytes: rows.reduce((n, r) => n + r.size, 0), types: [...new Set(rows.map((r) => r.media_type))].join(',') },
      });
      return rows;
    });
    return rows.map(view);
  }

  /** Takes a document out of a draft (its bytes are cleared); 404 when it is not in that draft. */
  async removeFromDraft(draftHash: string, id: string, traceId?: string): Promise<void> {
    const at = this.#clock().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.lockDraft(trx, draftHash)) || !(await store.removeFromDraft(trx, draftHash, id, at))) throw new AppError('not-found', 'This document is not in the draft.');
      await this.deps.audit.record(trx, { actor: 'public', action: 'case-assistance-document-remove', subject: `case-assistance-document:${id}`, outcome: 'allowed', purpose: `case-assistance-draft:${draftHash.slice(0, 16)}`, traceId: traceId ?? null });
    });
  }

  /** Moves a draft's documents to the request it became, in the sending transaction (CaseAssistanceService#submitDraft). */
  async attachDraft(trx: Transaction<Database>, draftHash: string, requestNumber: string): Promise<number> {
    return store.attachDraft(trx, draftHash, requestNumber);
  }

  /** Staff attach documents to a request (one received by mail): the Ombudsman only; all or none. */
  async attach(actor: Actor, requestNumberInput: string, files: readonly IncomingFile[], traceId?: string): Promise<DocumentView[]> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    const requestNumber = await this.#request(requestNumberInput);
    if (files.length === 0) throw new AppError('invalid-request', 'Send at least one file (a multipart field named "file").', { extensions: { errors: [{ field: 'file', code: 'required', detail: 'Send at least one file.' }] } });
    const recognised = await this.#recognise(files);
    const at = this.#clock().toISOString();
    const rows = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await store.lockRequest(trx, requestNumber))) throw notFoundRequest();
      this.#checkTotals(await store.ofRequest(trx, requestNumber), files);
      const rows = await this.#insert(trx, recognised, { requestNumber }, actorLabel(staff), at);
      await this.deps.audit.record(trx, {
        actor: actorLabel(staff), action: 'case-assistance-document-add', subject: `case-assistance:${requestNumber}`, outcome: 'allowed', traceId: traceId ?? null,
        detail: { files: rows.length, bytes: rows.reduce((n, r) => n + r.size, 0), types: [...new Set(rows.map((r) => r.media_type))].join(','), ids: rows.map((r) => r.id).join(',') },
      });
      return rows;
    });
    return rows.map(view);
  }

  /** The documents of a request (the Ombudsman only); the list is part of reading the request (audited there). */
  async list(actor: Actor, requestNumberInput: string): Promise<DocumentView[]> {
    authorize(actor, 'take-case-assistance-requests');
    const requestNumber = await this.#request(requestNumberInput);
    return (await store.ofRequest(this.deps.db, requestNumber)).map(view);
  }

  /** One document's bytes (the Ombudsman only), audited first: who, which document, for which request. */
  async download(actor: Actor, requestNumberInput: string, id: string, traceId?: string): Promise<DocumentDownload> {
    const staff = authorize(actor, 'take-case-assistance-requests');
    const requestNumber = await this.#request(requestNumberInput);
    const row = /^[0-9a-f-]{36}$/.test(id ?? '') ? await store.findOfRequest(this.deps.db, requestNumber, id) : undefined;
    if (!row) throw new AppError('not-found', 'This request has no such document.');
    await this.deps.audit.recordNow({
      actor: actorLabel(staff), action: 'case-assistance-document-download', subject: `case-assistance-document:${row.id}`, outcome: 'allowed',
      purpose: `case-assistance:${requestNumber}`, traceId: traceId ?? null, detail: { mediaType: row.media_type, size: row.size },
    });
    return { ...view(row), content: Buffer.from(row.content) };
  }

  async #request(input: string): Promise<string> {
    const n = parseRequestNumber(input ?? '');
    if (!n || !(await store.requestExists(this.deps.db, n))) throw notFoundRequest();
    return n;
  }
}

/**
 * Content-Disposition for a download: always an attachment; an ASCII fallback name and the UTF-8 name (RFC 6266).
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
