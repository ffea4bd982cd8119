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
  expiresAt: Type.String({ format: 'date-time' }),
  user: StaffUserSchema,
}, { description: 'Signed in: a bearer token, when it expires, and the account' });

export const SessionResponse = Type.Object({ user: StaffUserSchema }, { description: 'The account behind the token' });
