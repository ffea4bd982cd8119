/** TypeBox schemas of status-change alerts (CONTRACT.md section 6a). Values are checked in service.ts, naming the field. */
import { Type } from '@fastify/type-provider-typebox';

export const AlertSignUpBody = Type.Object({
  receiptNumber: Type.String({ maxLength: 64, description: 'The case to be told about, e.g. EAC2590012345 (spaces and dashes are ignored)' }),
  email: Type.Optional(Type.String({ maxLength: 320, description: 'An e-mail address to send the alerts to (this or `phone`)' })),
  phone: Type.Optional(Type.String({ maxLength: 40, description: 'A phone number for text messages (this or `email`), US by default. Text messages are queued, not yet delivered' })),
  language: Type.Union([Type.Literal('en'), Type.Literal('es')], { description: 'The language of the messages' }),
});

export const AlertSignUpAccepted = Type.Object({
  status: Type.Literal('confirmation-sent'),
}, { description: 'Accepted, whether or not the case exists (so the answer reveals nothing). For a case that exists, a message with a confirmation link goes to the address; alerts start once it is followed' });
