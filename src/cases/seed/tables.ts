/**
 * The data behind synthetic cases: which forms are filed how often, where, how long they take and what
 * happens on the way; who files them (countries, names, cities). Rough public orders of magnitude
 * (USCIS receipts and processing times, FY2022–2024), not statistics: change the numbers, not the code.
 */
import { weights, type Weights } from './random.ts';

/** Where a case's applicant comes from: each profile weights countries differently. */
export type Origin = 'family' | 'employment' | 'humanitarian' | 'general';

/** A processing-time category of a form, with what follows from it. */
export interface CategoryProfile {
  /** The category code as in reference/<agency>/forms.json. */
  code: string;
  share: number;
  /** Visa bulletin row for forms that set a priority date (null: immediate relative, not subject to the bulletin). */
  preference?: string | null;
  /** The priority date lies this many days before receipt (a labor certification filed earlier). */
  priorityDateLead?: readonly [number, number];
  /** Overrides of the form's values for this category. */
  offices?: Weights<string>;
  interview?: number;
  ioe?: number;
  origin?: Origin;
  age?: readonly [number, number];
  protectedCategory?: 'VAWA';
  military?: boolean;
  premium?: boolean;
}

/** Everything the generator knows about one form. */
export interface FormProfile {
  form: string;
  /** Share of all filings (weights; need not add up to 1). */
  share: number;
  categories: Weights<CategoryProfile>;
  /** Where the form is filed, by office code. */
  offices: Weights<string>;
  /** Share filed online (IOE receipt numbers). */
  ioe: number;
  /** Median receipt-to-decision days and the log-normal spread around it. */
  medianDays: number;
  sigma: number;
  biometrics: number;
  /** Share interviewed; only forms with a field office (below) are interviewed, there. */
  interview: number;
  /** Share of cases that get a request for evidence. */
  rfe: number;
  /** Share of decisions that are denials (doubled after an RFE). */
  denial: number;
  /** An approval produces a card (new-card-is-being-produced → card-was-mailed → card-was-delivered). */
  card: boolean;
  origin: Origin;
  /** Applicant's age at receipt, in years. */
  age: readonly [number, number];
  /** Share of applicants with an A-number. */
  aNumber: number;
  premium: boolean;
  /** The case belongs to a field office by the applicant's address (interviews happen there). */
  fieldOffice: boolean;
  rfeTexts: readonly string[];
}

const w = <T>(pairs: ReadonlyArray<readonly [T, number]>) => weights(pairs);
const cats = (list: CategoryProfile[]) => w(list.map((c) => [c, c.share] as const));

const GENERIC_RFE = [
  'Submit the evidence listed in the enclosed request. Failure to respond by the deadline may result in the denial of your case.',
  'Submit a complete, legible copy of your birth certificate with a certified English translation.',
  'Submit evidence of your lawful status in the United States, such as your Form I-94 record.',
];

/** Filing offices by code; I-forms at the National Benefits Center get MSC receipts, N-forms NBC receipts. */
export const OFFICE_PREFIX: Readonly<Record<string, string>> = { VSC: 'EAC', CSC: 'WAC', NSC: 'LIN', TSC: 'SRC', PSC: 'YSC', NBC: 'MSC' };

/** Offices whose processing is slower or quicker than the form's median (a transferred case takes the new office's pace). */
export const OFFICE_PACE: Readonly<Record<string, number>> = {
  VSC: 1.1, CSC: 1.2, NSC: 0.9, TSC: 1.0, PSC: 0.85, NBC: 1.0, NYC: 1.3, LOS: 1.2, CHI: 1.0, MIA: 1.1, HOU: 0.9,
};

export const SERVICE_CENTERS = ['VSC', 'CSC', 'NSC', 'TSC', 'PSC'] as const;

export const FORMS: Weights<FormProfile> = w<FormProfile>(([
  {
    form: 'I-765', share: 25, ioe: 0.4, medianDays: 90, sigma: 0.6, biometrics: 0.6, interview: 0, rfe: 0.06, denial: 0.06, card: true,
    origin: 'general', age: [18, 62], aNumber: 0.75, premium: false, fieldOffice: false,
    offices: w([['PSC', 0.4], ['NBC', 0.3], ['TSC', 0.3]]),
    categories: cats([
      { code: 'based on a pending I-485', share: 0.35, offices: w([['NBC', 1]]), ioe: 0.1 },
      { code: 'based on a pending asylum application', share: 0.3, offices: w([['TSC', 0.5], ['NBC', 0.5]]), origin: 'humanitarian' },
      { code: 'DACA', share: 0.1, offices: w([['NSC', 0.4], ['TSC', 0.3], ['CSC', 0.3]]), ioe: 0.6, age: [18, 43] },
      { code: 'other', share: 0.25 },
    ]),
    rfeTexts: ['Submit two identical passport-style photographs and a copy of your Form I-94.', 'Submit a copy of the receipt notice of the application your eligibility category is based on.', ...GENERIC_RFE],
  },
  {
    form: 'N-400', share: 11, ioe: 0.6, medianDays: 210, sigma: 0.4, biometrics: 0.97, interview: 0.98, rfe: 0.05, denial: 0.09, card: false,
    origin: 'general', age: [18, 85], aNumber: 1, premium: false, fieldOffice: true,
    offices: w([['NBC', 1]]),
    categories: cats([
      { code: 'naturalization', share: 0.98 },
      { code: 'military naturalization', share: 0.02, military: true, age: [18, 45] },
    ]),
    rfeTexts: ['Submit certified court dispositions for each arrest, citation or charge listed on your application.', 'Submit evidence that you filed federal tax returns for the last five years, such as IRS tax transcripts.'],
  },
  {
    form: 'I-130', share: 11, ioe: 0, medianDays: 365, sigma: 0.5, biometrics: 0, interview: 0, rfe: 0.2, denial: 0.08, card: false,
    origin: 'family', age: [1, 75], aNumber: 0.15, premium: false, fieldOffice: false,
    offices: w([['VSC', 0.25], ['CSC', 0.2], ['NSC', 0.15], ['TSC', 0.2], ['PSC', 0.2]]),
    categories: cats([
      { code: 'spouse of U.S. citizen', share: 0.36, preference: null, age: [20, 60] },
      { code: 'parent of U.S. citizen', share: 0.14, preference: null, age: [45, 85] },
      { code: 'unmarried son or daughter of U.S. citizen under 21', share: 0.07, preference: null, age: [0, 20] },
      { code: 'unmarried son or daughter of U.S. citizen 21 or older', share: 0.06, preference: 'F1', age: [21, 45] },
      { code: 'married son or daughter of U.S. citizen', share: 0.06, preference: 'F3', age: [21, 55] },
      { code: 'sibling of U.S. citizen', share: 0.12, preference: 'F4', age: [18, 70] },
      { code: 'spouse or child of permanent resident', share: 0.15, preference: 'F2A', age: [0, 55] },
      { code: 'unmarried son or daughter of permanent resident 21 or older', share: 0.04, preference: 'F2B', age: [21, 40] },
    ]),
    rfeTexts: ['Submit evidence that your marriage is bona fide, such as a joint lease, joint bank statements and photographs together over time.', 'Submit evidence of the petitioner\'s U.S. citizenship or lawful permanent residence.', 'Submit evidence that all prior marriages of both spouses were legally terminated.'],
  },
  {
    form: 'I-485', share: 9, ioe: 0, medianDays: 300, sigma: 0.45, biometrics: 0.95, interview: 0.5, rfe: 0.3, denial: 0.07, card: true,
    origin: 'family', age: [1, 75], aNumber: 0.85, premium: false, fieldOffice: true,
    offices: w([['NBC', 1]]),
    categories: cats([
      { code: 'family-based', share: 0.65, interview: 0.85, age: [16, 75] },
      { code: 'employment-based', share: 0.25, interview: 0.15, offices: w([['NSC', 0.5], ['TSC', 0.5]]), origin: 'employment', age: [22, 60] },
      { code: 'asylee or refugee', share: 0.1, interview: 0.3, offices: w([['NSC', 0.5], ['TSC', 0.5]]), origin: 'humanitarian' },
    ]),
    rfeTexts: ['Submit Form I-693, Report of Immigration Medical Examination and Vaccination Record, completed by a designated civil surgeon.', 'Submit Form I-864, Affidavit of Support, with the sponsor\'s most recent federal income tax return.', 'Submit evidence of your lawful admission or parole into the United States.'],
  },
  {
    form: 'I-90', share: 8, ioe: 0.7, medianDays: 180, sigma: 0.5, biometrics: 0.95, interview: 0, rfe: 0.05, denial: 0.04, card: true,
    origin: 'general', age: [20, 85], aNumber: 1, premium: false, fieldOffice: false,
    offices: w([['NBC', 0.6], ['PSC', 0.4]]),
    categories: cats([
      { code: 'replacement of permanent resident card', share: 0.55 },
      { code: 'renewal of permanent resident card', share: 0.45, age: [28, 85] },
    ]),
    rfeTexts: ['Submit a copy of a government-issued identity document with your photograph.', ...GENERIC_RFE],
  },
  {
    form: 'I-131', share: 7, ioe: 0, medianDays: 150, sigma: 0.5, biometrics: 0.5, interview: 0, rfe: 0.08, denial: 0.06, card: false,
    origin: 'general', age: [5, 75], aNumber: 0.8, premium: false, fieldOffice: false,
    offices: w([['NBC', 0.55], ['NSC', 0.25], ['TSC', 0.2]]),
    categories: cats([
      { code: 'advance parole', share: 0.6 },
      { code: 'reentry permit', share: 0.12, offices: w([['NSC', 0.5], ['TSC', 0.5]]) },
      { code: 'refugee travel document', share: 0.18, origin: 'humanitarian', offices: w([['NSC', 0.5], ['TSC', 0.5]]) },
      { code: 'humanitarian parole', share: 0.1, origin: 'humanitarian' },
    ]),
    rfeTexts: ['Submit evidence of the urgent humanitarian reason or significant public benefit for your travel.', ...GENERIC_RFE],
  },
  {
    form: 'I-129', share: 5, ioe: 0, medianDays: 75, sigma: 0.7, biometrics: 0, interview: 0, rfe: 0.25, denial: 0.12, card: false,
    origin: 'employment', age: [22, 55], aNumber: 0.05, premium: true, fieldOffice: false,
    offices: w([['CSC', 0.4], ['VSC', 0.4], ['NSC', 0.1], ['TSC', 0.1]]),
    categories: cats([
      { code: 'H-1B', share: 0.55 },
      { code: 'L-1', share: 0.15 },
      { code: 'H-2A', share: 0.12, origin: 'general' },
      { code: 'H-2B', share: 0.1, origin: 'general' },
      { code: 'O-1', share: 0.08 },
    ]),
    rfeTexts: ['Submit evidence that the position qualifies as a specialty occupation.', 'Submit evidence of the employer-employee relationship for the entire requested period, such as contracts and itineraries.'],
  },
  {
    form: 'I-821D', share: 4, ioe: 0, medianDays: 60, sigma: 0.5, biometrics: 0.9, interview: 0, rfe: 0.03, denial: 0.02, card: false,
    origin: 'general', age: [18, 43], aNumber: 0.95, premium: false, fieldOffice: false,
    offices: w([['NSC', 0.3], ['TSC', 0.3], ['CSC', 0.2], ['PSC', 0.2]]),
    categories: cats([{ code: 'initial request', share: 0.05 }, { code: 'renewal request', share: 0.95 }]),
    rfeTexts: ['Submit evidence of your continuous residence in the United States since June 15, 2007.', ...GENERIC_RFE],
  },
  {
    form: 'I-539', share: 4, ioe: 0, medianDays: 240, sigma: 0.5, biometrics: 0.3, interview: 0, rfe: 0.15, denial: 0.12, card: false,
    origin: 'general', age: [18, 75], aNumber: 0.2, premium: false, fieldOffice: false,
    offices: w([['VSC', 0.3], ['CSC', 0.3], ['NSC', 0.1], ['TSC', 0.1], ['PSC', 0.2]]),
    categories: cats([
      { code: 'extension of B-1/B-2 stay', share: 0.35 },
      { code: 'change to F or M student status', share: 0.2, premium: true, age: [18, 35] },
      { code: 'all other', share: 0.45 },
    ]),
    rfeTexts: ['Submit evidence of sufficient funds to cover your expenses during the requested stay.', 'Submit a copy of your Form I-20 issued by the school.'],
  },
  {
    form: 'I-751', share: 3.5, ioe: 0, medianDays: 540, sigma: 0.4, biometrics: 0.9, interview: 0, rfe: 0.2, denial: 0.05, card: true,
    origin: 'family', age: [22, 60], aNumber: 1, premium: false, fieldOffice: false,
    offices: w([['CSC', 0.5], ['VSC', 0.5]]),
    categories: cats([{ code: 'joint filing', share: 0.85 }, { code: 'waiver of joint filing', share: 0.15 }]),
    rfeTexts: ['Submit evidence that the marriage was entered in good faith, such as joint tax returns, a joint lease or mortgage, and birth certificates of children born to the marriage.'],
  },
  {
    form: 'I-140', share: 2.5, ioe: 0, medianDays: 180, sigma: 0.6, biometrics: 0, interview: 0, rfe: 0.25, denial: 0.1, card: false,
    origin: 'employment', age: [25, 58], aNumber: 0.1, premium: true, fieldOffice: false,
    offices: w([['NSC', 0.5], ['TSC', 0.5]]),
    categories: cats([
      { code: 'EB-1', share: 0.2, preference: 'EB1' },
      { code: 'EB-2', share: 0.5, preference: 'EB2', priorityDateLead: [90, 540] },
      { code: 'EB-3', share: 0.3, preference: 'EB3', priorityDateLead: [90, 540] },
    ]),
    rfeTexts: ['Submit evidence of the petitioner\'s ability to pay the proffered wage from the priority date onward, such as annual reports, federal tax returns or audited financial statements.', 'Submit evidence that the beneficiary met the experience requirements of the labor certification before the priority date.'],
  },
  {
    form: 'I-360', share: 1.5, ioe: 0, medianDays: 420, sigma: 0.6, biometrics: 0.4, interview: 0, rfe: 0.3, denial: 0.12, card: false,
    origin: 'humanitarian', age: [25, 60], aNumber: 0.6, premium: false, fieldOffice: false,
    offices: w([['NBC', 1]]),
    categories: cats([
      { code: 'special immigrant juvenile', share: 0.45, preference: 'EB4', offices: w([['NBC', 1]]), age: [8, 20] },
      { code: 'VAWA self-petitioner', share: 0.3, preference: null, offices: w([['VSC', 1]]), protectedCategory: 'VAWA', origin: 'family', age: [20, 60] },
      { code: 'widow(er) of U.S. citizen', share: 0.05, preference: null, offices: w([['NBC', 1]]), origin: 'family', age: [30, 80] },
      { code: 'religious worker', share: 0.19, preference: 'EB4', offices: w([['CSC', 1]]), origin: 'general' },
      { code: 'Amerasian', share: 0.01, preference: 'EB4', offices: w([['NBC', 1]]), origin: 'general', age: [35, 60] },
    ]),
    rfeTexts: ['Submit a copy of the juvenile court order with the findings required for special immigrant juvenile classification.', 'Submit evidence of the qualifying relationship and of the abuse, such as protection orders, police reports or affidavits.', ...GENERIC_RFE],
  },
  {
    form: 'I-129F', share: 1, ioe: 0, medianDays: 300, sigma: 0.4, biometrics: 0, interview: 0, rfe: 0.2, denial: 0.06, card: false,
    origin: 'family', age: [20, 50], aNumber: 0.05, premium: false, fieldOffice: false,
    offices: w([['CSC', 0.4], ['VSC', 0.3], ['TSC', 0.3]]),
    categories: cats([{ code: 'K-1 fiancé(e)', share: 0.95 }, { code: 'K-3 spouse', share: 0.05 }]),
    rfeTexts: ['Submit evidence that you and your fiancé(e) met in person within the two years before filing.'],
  },
  {
    form: 'N-600', share: 1, ioe: 0, medianDays: 240, sigma: 0.5, biometrics: 0.2, interview: 0.4, rfe: 0.3, denial: 0.15, card: false,
    origin: 'general', age: [0, 40], aNumber: 0.3, premium: false, fieldOffice: true,
    offices: w([['NBC', 1]]),
    categories: cats([{ code: 'certificate of citizenship', share: 1 }]),
    rfeTexts: ['Submit evidence of the U.S. citizen parent\'s physical presence in the United States before your birth.', 'Submit your parents\' marriage certificate and evidence of legal custody.'],
  },
  {
    form: 'N-565', share: 0.7, ioe: 0, medianDays: 300, sigma: 0.5, biometrics: 0, interview: 0, rfe: 0.1, denial: 0.05, card: false,
    origin: 'general', age: [25, 85], aNumber: 0.9, premium: false, fieldOffice: false,
    offices: w([['NBC', 1]]),
    categories: cats([{ code: 'replacement document', share: 1 }]),
    rfeTexts: ['Submit a sworn statement describing how the certificate was lost, stolen or destroyed.'],
  },
  {
    form: 'I-526', share: 0.2, ioe: 0, medianDays: 900, sigma: 0.4, biometrics: 0, interview: 0, rfe: 0.4, denial: 0.2, card: false,
    origin: 'employment', age: [30, 65], aNumber: 0.1, premium: false, fieldOffice: false,
    offices: w([['CSC', 1]]),
    categories: cats([{ code: 'standalone investor', share: 1, preference: 'EB5' }]),
    rfeTexts: ['Submit evidence of the lawful source of the invested capital, including tax returns for the last five years.', 'Submit a comprehensive business plan showing how the enterprise will create at least ten full-time jobs.'],
  },
  {
    form: 'I-600', share: 0.1, ioe: 0, medianDays: 180, sigma: 0.5, biometrics: 0, interview: 0, rfe: 0.2, denial: 0.1, card: false,
    origin: 'general', age: [0, 10], aNumber: 0, premium: false, fieldOffice: false,
    offices: w([['NBC', 1]]),
    categories: cats([{ code: 'orphan petition', share: 1 }]),
    rfeTexts: ['Submit the child\'s birth certificate and evidence that the child meets the definition of an orphan.'],
  },
] satisfies FormProfile[]).map((f) => [f, f.share] as const));

/** How a decided case ends, besides approval and denial. */
export const OUTCOME_RATES = { rejected: 0.015, withdrawn: 0.015, onHold: 0.007, expedite: 0.015, expediteApproved: 0.4, scTransfer: 0.04, fieldOfficeTransfer: 0.7, initialEvidence: 0.03, cardReturned: 0.02 };

/** The visa bulletin's chargeability columns by country of birth; every other country is ALL. */
export const CHARGEABILITY: Readonly<Record<string, string>> = { CN: 'CHINA', IN: 'INDIA', MX: 'MEXICO', PH: 'PHILIPPINES' };

export type NameGroup =
  | 'hispanic' | 'chinese' | 'southAsian' | 'filipino' | 'vietnamese' | 'korean' | 'westAfrican' | 'eastAfrican'
  | 'middleEastern' | 'eastEuropean' | 'western' | 'haitian' | 'anglophoneCaribbean' | 'brazilian';

/** Countries of birth: the name group, and weights for family, employment, humanitarian and other filings. */
const COUNTRIES: ReadonlyArray<readonly [string, NameGroup, number, number, number, number]> = [
  ['MX', 'hispanic', 22, 1.5, 3, 15], ['IN', 'southAsian', 6, 40, 1, 8], ['CN', 'chinese', 5, 14, 3, 6], ['PH', 'filipino', 9, 3, 0.5, 5],
  ['CU', 'hispanic', 5, 0.3, 8, 5], ['DO', 'hispanic', 6, 0.2, 0.5, 4], ['VN', 'vietnamese', 4, 0.5, 0.5, 3], ['SV', 'hispanic', 3, 0.2, 6, 3],
  ['GT', 'hispanic', 2, 0.1, 8, 3], ['HN', 'hispanic', 2, 0.1, 7, 2.5], ['VE', 'hispanic', 1.5, 1.5, 10, 3], ['CO', 'hispanic', 2, 1.5, 4, 2.5],
  ['HT', 'haitian', 2.5, 0.1, 7, 2.5], ['JM', 'anglophoneCaribbean', 2.5, 0.3, 0.2, 2], ['NG', 'westAfrican', 1.5, 2, 1, 1.5],
  ['GH', 'westAfrican', 1, 0.5, 0.5, 1], ['ET', 'eastAfrican', 1, 0.3, 3, 1], ['KE', 'eastAfrican', 0.6, 0.5, 0.5, 0.6],
  ['KR', 'korean', 1.5, 3, 0.1, 1.5], ['PK', 'southAsian', 1.5, 2, 1, 1.5], ['BD', 'southAsian', 1.5, 1, 0.5, 1],
  ['AF', 'middleEastern', 0.5, 0.1, 6, 1], ['IR', 'middleEastern', 0.8, 1.5, 2, 1], ['EG', 'middleEastern', 0.7, 0.8, 1, 0.7],
  ['UA', 'eastEuropean', 1, 1, 6, 1.5], ['RU', 'eastEuropean', 0.8, 2, 3, 1.2], ['PL', 'eastEuropean', 0.5, 0.5, 0, 0.6],
  ['GB', 'western', 1, 3, 0, 1.2], ['DE', 'western', 0.5, 2, 0, 0.7], ['IT', 'western', 0.4, 0.8, 0, 0.5], ['CA', 'western', 1, 2.5, 0, 1],
  ['BR', 'brazilian', 1.5, 2.5, 0.5, 2],
];

const ORIGIN_INDEX: Record<Origin, 2 | 3 | 4 | 5> = { family: 2, employment: 3, humanitarian: 4, general: 5 };

export const COUNTRY_WEIGHTS: Readonly<Record<Origin, Weights<readonly [string, NameGroup]>>> = Object.fromEntries(
  (Object.keys(ORIGIN_INDEX) as Origin[]).map((o) => [o, w(COUNTRIES.map((c) => [[c[0], c[1]] as const, c[ORIGIN_INDEX[o]]] as const))]),
) as Record<Origin, Weights<readonly [string, NameGroup]>>;

/** Given names (female, male) and family names, as people write them on U.S. forms. */
export const NAMES: Readonly<Record<NameGroup, { female: readonly string[]; male: readonly string[]; family: readonly string[] }>> = {
  hispanic: {
    female: ['María', 'Guadalupe', 'Ana', 'Rosa', 'Carmen', 'Lucía', 'Sofía', 'Fernanda', 'Alejandra', 'Daniela', 'Gabriela', 'Yesenia', 'Marisol', 'Patricia', 'Isabel', 'Valentina'],
    male: ['José', 'Juan', 'Luis', 'Carlos', 'Jorge', 'Miguel', 'Alejandro', 'Jesús', 'Francisco', 'Diego', 'Andrés', 'Ricardo', 'Eduardo', 'Héctor', 'Santiago', 'Mateo'],
    family: ['García', 'Hernández', 'Martínez', 'López', 'González', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez', 'Flores', 'Torres', 'Rivera', 'Gómez', 'Díaz', 'Morales', 'Reyes', 'Cruz', 'Ortiz', 'Castillo', 'Vásquez', 'Jiménez', 'Mendoza'],
  },
  chinese: {
    female: ['Li', 'Mei', 'Xiu Ying', 'Jing', 'Yan', 'Hui', 'Xiaoling', 'Fang', 'Ying', 'Lan', 'Qian', 'Yue'],
    male: ['Wei', 'Jun', 'Hao', 'Lei', 'Ming', 'Jian', 'Tao', 'Yong', 'Bo', 'Chen', 'Zhiwei', 'Yang'],
    family: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Lin'],
  },
  southAsian: {
    female: ['Priya', 'Ananya', 'Lakshmi', 'Deepa', 'Kavya', 'Sunita', 'Meera', 'Pooja', 'Fatima', 'Ayesha', 'Nusrat', 'Divya', 'Shreya', 'Harpreet'],
    male: ['Rahul', 'Arjun', 'Vikram', 'Sanjay', 'Amit', 'Ravi', 'Suresh', 'Rajesh', 'Imran', 'Mohammed', 'Abdul', 'Karthik', 'Gurpreet', 'Aditya'],
    family: ['Patel', 'Sharma', 'Singh', 'Kumar', 'Reddy', 'Gupta', 'Rao', 'Shah', 'Iyer', 'Nair', 'Chowdhury', 'Khan', 'Hossain', 'Ahmed', 'Mehta', 'Joshi', 'Desai', 'Kaur'],
  },
  filipino: {
    female: ['Maria Cristina', 'Rowena', 'Maricel', 'Jocelyn', 'Angelica', 'Rosalie', 'Mary Grace', 'Jennifer', 'Lorna', 'Divina'],
    male: ['Jose', 'Rodel', 'Mark Anthony', 'Ramon', 'Jun', 'Rolando', 'Ariel', 'Reynaldo', 'Joel', 'Emmanuel'],
    family: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Dela Cruz', 'Villanueva', 'Aquino', 'Ramos', 'Castillo', 'Manalo', 'Pascual'],
  },
  vietnamese: {
    female: ['Linh', 'Lan', 'Thu', 'Hoa', 'Mai', 'Ngoc', 'Trang', 'Huong', 'Anh', 'Thao'],
    male: ['Minh', 'Tuan', 'Hung', 'Duc', 'Quang', 'Long', 'Thanh', 'Khoa', 'Bao', 'Huy'],
    family: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Phan', 'Vu', 'Dang', 'Bui', 'Do', 'Ho', 'Ngo'],
  },
  korean: {
    female: ['Ji-woo', 'Seo-yeon', 'Min-ji', 'Soo-jin', 'Eun-ji', 'Hye-jin', 'Yoon-seo', 'Ha-eun'],
    male: ['Min-jun', 'Ji-hoon', 'Seung-ho', 'Dong-hyun', 'Jae-won', 'Sung-min', 'Hyun-woo', 'Joon-young'],
    family: ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Han', 'Shin'],
  },
  westAfrican: {
    female: ['Chioma', 'Ngozi', 'Adaeze', 'Funmilayo', 'Abena', 'Akosua', 'Efua', 'Blessing', 'Folake', 'Amara'],
    male: ['Chinedu', 'Oluwaseun', 'Emeka', 'Babajide', 'Kwame', 'Kofi', 'Yaw', 'Tunde', 'Ikechukwu', 'Kwabena'],
    family: ['Okafor', 'Adeyemi', 'Okonkwo', 'Nwosu', 'Eze', 'Balogun', 'Mensah', 'Owusu', 'Boateng', 'Asante', 'Oyelaran', 'Adebayo'],
  },
  eastAfrican: {
    female: ['Hana', 'Meron', 'Selam', 'Tigist', 'Wanjiru', 'Achieng', 'Hodan', 'Faith', 'Liya', 'Amina'],
    male: ['Dawit', 'Yonas', 'Abebe', 'Tesfaye', 'Kamau', 'Otieno', 'Abdi', 'Mohamed', 'Samuel', 'Bereket'],
    family: ['Tesfaye', 'Bekele', 'Haile', 'Girma', 'Kebede', 'Mwangi', 'Odhiambo', 'Wambui', 'Ali', 'Hassan', 'Mekonnen', 'Alemu'],
  },
  middleEastern: {
    female: ['Fatima', 'Maryam', 'Zahra', 'Layla', 'Nour', 'Sara', 'Yasmin', 'Farzana', 'Shirin', 'Hadiya'],
    male: ['Ahmad', 'Mohammad', 'Ali', 'Omar', 'Hassan', 'Mahmoud', 'Reza', 'Farid', 'Karim', 'Mustafa'],
    family: ['Haddad', 'Hassan', 'Rahimi', 'Karimi', 'Ahmadi', 'Mansour', 'Saleh', 'Nasser', 'Hosseini', 'Popal', 'Sharif', 'Amin'],
  },
  eastEuropean: {
    female: ['Olena', 'Iryna', 'Natalia', 'Anastasia', 'Olga', 'Katarzyna', 'Agnieszka', 'Yulia', 'Svetlana', 'Tetiana'],
    male: ['Oleksandr', 'Andriy', 'Dmitri', 'Sergei', 'Piotr', 'Tomasz', 'Mykola', 'Ivan', 'Alexei', 'Pavel'],
    family: ['Shevchenko', 'Kovalenko', 'Bondarenko', 'Ivanov', 'Smirnov', 'Petrov', 'Kowalski', 'Nowak', 'Wiśniewski', 'Melnyk', 'Popescu', 'Volkov'],
  },
  western: {
    female: ['Emma', 'Charlotte', 'Sophie', 'Hannah', 'Giulia', 'Anna', 'Claire', 'Lena', 'Olivia', 'Chiara'],
    male: ['James', 'Thomas', 'Oliver', 'Lukas', 'Matteo', 'William', 'Daniel', 'Felix', 'Marco', 'Henry'],
    family: ['Smith', 'Taylor', 'Brown', 'Wilson', 'Müller', 'Schmidt', 'Rossi', 'Bianchi', 'Martin', 'Tremblay', 'Walsh', 'Fischer'],
  },
  haitian: {
    female: ['Marie', 'Nadège', 'Guerline', 'Roseline', 'Fabienne', 'Mirlande', 'Nathalie', 'Widline'],
    male: ['Jean', 'Pierre', 'Jean-Baptiste', 'Emmanuel', 'Frantz', 'Wilner', 'Ronald', 'Jacques'],
    family: ['Jean-Louis', 'Pierre', 'Joseph', 'Charles', 'Louis', 'Etienne', 'Desir', 'Baptiste', 'Augustin', 'Celestin'],
  },
  anglophoneCaribbean: {
    female: ['Shanice', 'Kerry-Ann', 'Tanisha', 'Simone', 'Nicole', 'Keisha', 'Marcia', 'Camille'],
    male: ['Andre', 'Dwayne', 'Marlon', 'Kemar', 'Damion', 'Shane', 'Delroy', 'Omar'],
    family: ['Campbell', 'Williams', 'Brown', 'Thompson', 'Clarke', 'Reid', 'Gordon', 'Francis', 'Grant', 'McKenzie'],
  },
  brazilian: {
    female: ['Ana Clara', 'Beatriz', 'Camila', 'Juliana', 'Larissa', 'Fernanda', 'Mariana', 'Thaís'],
    male: ['João', 'Pedro', 'Lucas', 'Gabriel', 'Rafael', 'Thiago', 'Felipe', 'Bruno'],
    family: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Costa', 'Ferreira', 'Almeida', 'Carvalho', 'Pereira', 'Rodrigues'],
  },
};

/** Where applicants live: city, state, the first three ZIP digits, and the field office with jurisdiction. */
export const CITIES: Weights<readonly [string, string, string, string]> = w(([
  [['New York', 'NY', '100', 'NYC'], 6], [['Brooklyn', 'NY', '112', 'NYC'], 4], [['Jamaica', 'NY', '114', 'NYC'], 3], [['Bronx', 'NY', '104', 'NYC'], 2.5],
  [['Newark', 'NJ', '071', 'NYC'], 2], [['Jersey City', 'NJ', '073', 'NYC'], 1.5], [['Paterson', 'NJ', '075', 'NYC'], 1], [['Yonkers', 'NY', '107', 'NYC'], 0.8],
  [['Boston', 'MA', '021', 'NYC'], 2], [['Philadelphia', 'PA', '191', 'NYC'], 1.5],
  [['Los Angeles', 'CA', '900', 'LOS'], 7], [['Santa Ana', 'CA', '927', 'LOS'], 2], [['Riverside', 'CA', '925', 'LOS'], 1.5], [['San Diego', 'CA', '921', 'LOS'], 2.5],
  [['San Jose', 'CA', '951', 'LOS'], 2.5], [['Fresno', 'CA', '937', 'LOS'], 1], [['Phoenix', 'AZ', '850', 'LOS'], 2], [['Las Vegas', 'NV', '891', 'LOS'], 1.5],
  [['Seattle', 'WA', '981', 'LOS'], 1.5],
  [['Chicago', 'IL', '606', 'CHI'], 5], [['Aurora', 'IL', '605', 'CHI'], 0.8], [['Milwaukee', 'WI', '532', 'CHI'], 0.8], [['Detroit', 'MI', '482', 'CHI'], 1.2],
  [['Minneapolis', 'MN', '554', 'CHI'], 1.2], [['Indianapolis', 'IN', '462', 'CHI'], 0.8], [['Columbus', 'OH', '432', 'CHI'], 0.8],
  [['Miami', 'FL', '331', 'MIA'], 5], [['Hialeah', 'FL', '330', 'MIA'], 1.5], [['Orlando', 'FL', '328', 'MIA'], 1.5], [['Tampa', 'FL', '336', 'MIA'], 1],
  [['Fort Lauderdale', 'FL', '333', 'MIA'], 1.2], [['Atlanta', 'GA', '303', 'MIA'], 2],
  [['Houston', 'TX', '770', 'HOU'], 5], [['Dallas', 'TX', '752', 'HOU'], 3], [['San Antonio', 'TX', '782', 'HOU'], 1.5], [['Austin', 'TX', '787', 'HOU'], 1.2],
  [['El Paso', 'TX', '799', 'HOU'], 1], [['New Orleans', 'LA', '701', 'HOU'], 0.6], [['Denver', 'CO', '802', 'HOU'], 1],
] as const).map(([c, weight]) => [c, weight] as const));

export const STREETS: readonly string[] = [
  'Main St', 'Oak Ave', 'Maple St', 'Washington Ave', 'Park Ave', 'Lincoln Rd', 'Elm St', 'Cedar Ln', 'Pine St', 'Lake Dr', 'Hill St',
  'Jefferson Blvd', 'Broadway', 'Madison Ave', 'Franklin St', 'Sunset Blvd', 'Church St', 'River Rd', 'Grand Ave', 'Highland Ave',
  'Central Ave', 'Mission St', 'Cherry Ln', 'Walnut St', 'Spring St', 'Valley View Dr', 'Forest Ave', 'Kingston Ave',
];

/** Law offices and accredited organizations that file Form G-28. */
export const REPRESENTATIVE_FIRMS: readonly string[] = [
  'Law Office of {name}', '{family} Immigration Law, PLLC', '{family} & Associates', 'Catholic Charities ({city})', '{family} Law Group',
  'International Institute ({city})', '{name}, Attorney at Law',
];
