/** Factories for test data: valid by default, overridable field by field. */

let sequence = 10000;

/** A fresh, valid receipt number with the given prefix. */
export function receiptNumber(prefix = 'EAC'): string {
  return `${prefix}2590${String(++sequence).padStart(6, '0')}`;
}

/** A valid case-feed record (CONTRACT.md section 5). */
export function caseRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const rn = (overrides.receiptNumber as string | undefined) ?? receiptNumber();
  return {
    receiptNumber: rn,
    formType: 'I-130',
    formCategory: 'spouse of U.S. citizen',
    office: 'VSC',
    receivedDate: '2025-01-14',
    decidedDate: null,
    applicant: {
      name: 'Ana Pérez', dateOfBirth: '1990-03-02', aNumber: 'A012345678', countryOfBirth: 'MX', phone: '+15555550123', email: 'ana@example.org',
      address: { street: '1 Main St', city: 'Austin', state: 'TX', zip: '78701' }, military: false, protectedCategory: null,
    },
    representative: { name: 'J. Lee', g28OnFile: true },
    priorityDate: '2025-01-14', preferenceCategory: 'F2A', chargeability: 'MEXICO', premiumProcessingEligible: false,
    history: [{ date: '2025-01-14', status: 'case-was-received' }],
    notices: [{ id: 'N1', type: 'receipt', date: '2025-01-16' }],
    rfes: [],
    ...overrides,
  };
}

export const ndjson = (records: unknown[]): string => records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
