/**
 * The one catalogue of error codes. Every code here is documented in docs/errors.md (a test enforces it)
 * and served as RFC 9457 problem details by the error handler.
 */
export const ERROR_CATALOGUE = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  'invalid-receipt-number': { status: 400, title: 'The receipt number is not valid' },
  'unauthenticated': { status: 401, title: 'Sign-in is required' },
  'forbidden': { status: 403, title: 'This action is not allowed for your role' },
  'verification-locked': { status: 403, title: 'Verification is locked for this receipt number' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'conflict': { status: 409, title: 'Conflict' },
  'duplicate-service-request': { status: 409, title: 'An open service request of this type already exists' },
  'unprocessable': { status: 422, title: 'The request cannot be processed' },
  'too-early': { status: 422, title: 'It is too early for this request' },
  'review-window-closed': { status: 422, title: 'The review window has closed' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used with a different request' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Something went wrong on our side' },
  'unavailable': { status: 503, title: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One bad field of a validation error. */
export interface FieldError {
  field: string;
  code: string;
  detail: string;
}

/** An error the application means to show its caller: a catalogue code, a safe detail, optional extensions. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  /** Set when the service already wrote the denial to the audit trail, so the error handler does not again. */
  readonly audited: boolean;

  constructor(code: ErrorCode, detail?: string, options: { extensions?: Record<string, unknown>; headers?: Record<string, string>; audited?: boolean } = {}) {
    super(detail ?? ERROR_CATALOGUE[code].title);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.detail = detail ?? ERROR_CATALOGUE[code].title;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
    this.audited = options.audited ?? false;
  }
}

/** A 400 listing each bad field. */
export function validationError(errors: FieldError[], detail = 'One or more fields are not valid.'): AppError {
  return new AppError('invalid-request', detail, { extensions: { errors } });
}

/** The problem-details body for an error code. `type` is a stable relative URI naming the code. */
export function problemBody(code: ErrorCode, detail: string, traceId: string, extensions: Record<string, unknown> = {}) {
  const { status, title } = ERROR_CATALOGUE[code];
  return { type: `/problems/${code}`, title, status, detail, code, traceId, ...extensions };
}
