/** Request and response schemas of the visa bulletin and the priority date check (CONTRACT.md section 7). */
import { Type } from '@fastify/type-provider-typebox';
import { BULLETIN_CATEGORIES, CHARTS } from '../domain/visa-bulletin.ts';

const Chart = Type.Record(Type.String({ maxLength: 20 }), Type.Record(Type.String({ maxLength: 60 }), Type.String({ maxLength: 10 })), {
  minProperties: 1,
  description: `{CATEGORY: {CHARGEABILITY: "YYYY-MM-DD" | "C" | "U"}}; categories ${BULLETIN_CATEGORIES.join(' ')}; every row needs ALL`,
});

export const MonthParams = Type.Object({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }) });

export const BulletinBody = Type.Object({ finalActionDates: Chart, datesForFiling: Chart }, { additionalProperties: false });

export const BulletinResponse = Type.Object({
  month: Type.String(),
  finalActionDates: Chart,
  datesForFiling: Chart,
  publishedAt: Type.String({ format: 'date-time' }),
}, { description: 'The bulletin of the month' });

export const CheckQuery = Type.Object({
  priorityDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' }),
  category: Type.String({ minLength: 1, maxLength: 20, description: BULLETIN_CATEGORIES.join(', ') }),
  chargeability: Type.Optional(Type.String({ maxLength: 60, description: 'Default ALL; a country without a column of its own uses ALL' })),
  chart: Type.Optional(Type.String({ enum: [...CHARTS], default: 'final-action' })),
});

export const CheckResponse = Type.Object({
  current: Type.Boolean(),
  chart: Type.String({ enum: [...CHARTS] }),
  cutoff: Type.String({ description: '"YYYY-MM-DD", "C" (current) or "U" (unavailable)' }),
  bulletin: Type.String({ description: 'The bulletin month used, YYYY-MM' }),
  priorityDate: Type.String(),
  category: Type.String(),
  chargeability: Type.String({ description: 'As asked (ALL when not given)' }),
  column: Type.String({ description: 'The column the cut-off came from: the chargeability, or ALL when it has none' }),
}, { description: 'Whether the priority date is current, and the cut-off it was compared with' });
