/** Request and response schemas of the sign-in API; they validate requests and generate the OpenAPI document. */
import { Type } from '@fastify/type-provider-typebox';
import { ROLES } from '../domain/roles.ts';

export const StaffUserSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String({ enum: [...ROLES] }),
  office: Type.Union([Type.String(), Type.Null()], { description: 'Office code, for office staff only' }),
  agentId: Type.String({ description: 'The public agent ID a caller writes down' }),
});

export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
}, { additionalProperties: false });

export const LoginResponse = Type.Object({
  token: Type.String({ description: 'Send as "Authorization: Bearer <token>"' }),
  expiresAt: Type.String({
    format: 'date-time',
    description: 'When the session ends if the token is not used: the idle end at issue time (30 minutes on). Each use moves it, never past the absolute end 12 hours after sign-in; GET /api/v1/auth/session tells the current ends.',
  }),
  user: StaffUserSchema,
}, { description: 'Signed in: a bearer token, when it ends if unused, and the account' });

export const SessionResponse = Type.Object({
  user: StaffUserSchema,
  expiresAt: Type.String({ format: 'date-time', description: 'When the session ends if not used again: the earlier of idleExpiresAt and absoluteExpiresAt' }),
  idleExpiresAt: Type.String({ format: 'date-time', description: 'Last use plus 30 minutes (this request counts as a use; recorded to the minute)' }),
  absoluteExpiresAt: Type.String({ format: 'date-time', description: 'Sign-in plus 12 hours: the session ends then however busy it is' }),
}, { description: 'The account behind the token and when its session ends' });
