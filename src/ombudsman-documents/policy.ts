/**
 * What the Ombudsman accepts as documents with a case assistance request (issue 10, "Documents"): the kinds, by
 * their bytes (never by the name or the declared type), and the limits per file and per request. Named constants
 * another agency's Ombudsman would change.
 */
import type { DrainLimits } from '../platform/http/body-drain.ts';

const MB = 1024 * 1024;

/** The media types accepted, as recognised from the file's first bytes (file-type). */
export const ALLOWED_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

/** One file at most this many bytes (10 MB). */
export const MAX_FILE_BYTES = 10 * MB;
/** One request (draft or sent) holds at most this many documents ... */
export const MAX_FILES_PER_REQUEST = 5;
/** ... together at most this many bytes (25 MB). */
export const MAX_REQUEST_BYTES = 25 * MB;

/** Room for the multipart framing and the form's fields around the files of one upload. */
export const MULTIPART_OVERHEAD_BYTES = 1 * MB;

/**
 * Reading the rest of a refused upload before answering (src/platform/http/body-drain.ts): a browser or `fetch`
 * sends the whole body before reading the answer, so the 413 is read only once the body has been read. Twice the
 * largest acceptable upload, within 30 s; beyond that the connection is closed anyway.
 */
export const UPLOAD_DRAIN_LIMITS: Readonly<DrainLimits> = Object.freeze({ maxBytes: 2 * (MAX_REQUEST_BYTES + MULTIPART_OVERHEAD_BYTES), timeoutMs: 30_000 });

/** A file name kept for display and Content-Disposition: at most this many characters. */
export const MAX_FILE_NAME_LENGTH = 120;

/** What one upload (a form post or an API call) may carry, for the multipart reader. */
export const UPLOAD_LIMITS = { fileBytes: MAX_FILE_BYTES, files: MAX_FILES_PER_REQUEST, totalBytes: MAX_REQUEST_BYTES } as const;

/** Whole megabytes, for messages. */
export const megabytes = (bytes: number): number => Math.round(bytes / MB);
