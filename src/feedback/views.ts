/** Answer shapes of feedback. */
import type { FeedbackRow } from './store.ts';

export interface FeedbackView {
  id: string;
  page: string | null;
  helpful: boolean | null;
  reasons: string[];
  comment: string | null;
  aboutContactCenter: boolean;
  lang: string | null;
  source: string;
  createdAt: string;
}

export const feedbackView = (r: FeedbackRow): FeedbackView => ({
  id: r.id, page: r.page, helpful: r.helpful === null ? null : Number(r.helpful) === 1, reasons: JSON.parse(r.reasons) as string[],
  comment: r.comment, aboutContactCenter: Number(r.about_contact_center) === 1, lang: r.lang, source: r.source, createdAt: r.created_at,
});
