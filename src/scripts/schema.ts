/** TypeBox schemas of the scripts API (CONTRACT.md section 8): validation and the OpenAPI document. */
import { Type } from '@fastify/type-provider-typebox';
import { PageQuery } from '../platform/http/types.ts';
import { MAX_QUERY_CHARS } from './policy.ts';

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: MAX_QUERY_CHARS, description: 'Words to look for, in either language; accents and case are ignored. Empty: every script of the language, by title.' })),
  lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es')], { description: 'The scripts\' language (default "en")' })),
  ...PageQuery,
});

export const Script = Type.Object({
  id: Type.String({ description: 'The topic\'s stable id (a slug)' }),
  title: Type.String(),
  version: Type.Integer({ minimum: 1, description: 'The published version; a changed text is a new version, older ones are kept' }),
  language: Type.String({ description: '"en" or "es"' }),
  body: Type.String({ description: 'The approved text, as the agent reads it out' }),
});

export const ContactParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export const UseBody = Type.Object({
  scriptId: Type.String({ maxLength: 100 }),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es')], { description: 'The language read to the caller (default: the call\'s)' })),
});

export const Used = Type.Object({
  scriptId: Type.String(), version: Type.Integer(), language: Type.String(), at: Type.String({ format: 'date-time' }),
}, { description: 'The script and its version are recorded on the call' });
