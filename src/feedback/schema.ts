/** TypeBox schemas of feedback (CONTRACT.md section 11). Codes and lengths are checked in checks.ts, naming the field. */
import { Type } from '@fastify/type-provider-typebox';
import { PageQuery } from '../platform/http/types.ts';
import { COMMENT_MAX, REASON_CODES } from './policy.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const FeedbackBody = Type.Object({
  page: Type.Optional(Nullable(Type.String({ maxLength: 4096, description: 'The page the feedback is about: a path on this site, like /case-status (its query is not kept)' }))),
  helpful: Type.Optional(Nullable(Type.Boolean({ description: 'Was this page helpful? Left out or null: not said' }))),
  reasons: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20, description: `Why it was not helpful: ${REASON_CODES.join(', ')}` })),
  comment: Type.Optional(Nullable(Type.String({ maxLength: 20000, description: `A comment, at most ${COMMENT_MAX} characters (about the page or the Contact Center)` }))),
});

export const FeedbackCreated = Type.Object({ id: Type.String(), createdAt: Type.String({ format: 'date-time' }) }, { description: 'Recorded' });

export const FeedbackItem = Type.Object({
  id: Type.String(), page: Nullable(Type.String()), helpful: Nullable(Type.Boolean()), reasons: Type.Array(Type.String()), comment: Nullable(Type.String()),
  aboutContactCenter: Type.Boolean(), lang: Nullable(Type.String()), source: Type.String(), createdAt: Type.String({ format: 'date-time' }),
});

export const FeedbackListQuery = Type.Object({ ...PageQuery });

export const FeedbackListAnswer = Type.Object({
  items: Type.Array(FeedbackItem), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer(),
  byPage: Type.Array(Type.Object({ page: Nullable(Type.String()), total: Type.Integer(), helpful: Type.Integer(), notHelpful: Type.Integer(), comments: Type.Integer() })),
}, { description: 'Feedback newest first, with the counts by page (the most answered pages first)' });
