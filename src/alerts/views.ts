/** View models of the alert pages: the sign-up form's values and its errors, keyed for the templates. */
import type { FieldError } from '../platform/errors/catalogue.ts';
import type { Lang } from '../platform/i18n/i18n.ts';

export interface SignUpValues {
  receiptNumber: string;
  email: string;
  phone: string;
  language: Lang;
}

/** The form as the templates read it: values, and per field the catalogue key of its message (alerts.error.*). */
export function signUpForm(values: SignUpValues, errors: FieldError[], lang: Lang) {
  const byField: Record<string, string> = {};
  for (const e of errors) {
    byField[e.field] ??= `alerts.error.${e.field}.${e.code}`;
  }
  return { values, errors: byField, order: ['receiptNumber', 'email', 'phone', 'language'].filter((f) => byField[f]), lang };
}
