/**
 * Feedback pages, in English and Spanish, without JavaScript:
 *   POST /feedback/page   the "Was this page helpful?" form under every public page (feedback/views/page-form.njk,
 *                         included by the layout): Yes, or No with the reasons ticked and an optional comment. It is
 *                         recorded (the page's path only) and the browser goes back to the page, which says thank you.
 *                         The return address is a hidden field, checked as a same-site path (safe-redirect.ts).
 *   GET  /feedback        a page for a longer comment about the Contact Center; POST /feedback records it.
 *   GET  /staff/feedback  staff who read reports ('view-reports'): feedback newest first, with counts by page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationError, type FieldError } from '../platform/errors/catalogue.ts';
import { sameSitePath } from '../platform/http/safe-redirect.ts';
import { authorize } from '../platform/authorize.ts';
import { longDateTime } from '../platform/i18n/format.ts';
import { resolveLang } from '../platform/views/views.ts';
import type { Agency } from '../platform/reference.ts';
import { formList } from './checks.ts';
import { COMMENT_MAX, LIST_PAGE_SIZE, REASON_CODES } from './policy.ts';
import type { FeedbackService } from './service.ts';

const COMMENT_PAGE = 'feedback/views/comment.njk';
const STAFF_PAGE = 'feedback/views/staff.njk';

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

/** The page to go back to, with `feedback=thanks` (and nothing else changed) and the form's own anchor. */
export function thankedAddress(back: unknown): string {
  const path = sameSitePath(back, '/');
  const url = new URL(path, 'http://switchboard.invalid');
  url.searchParams.set('feedback', 'thanks');
  return `${url.pathname}${url.search}#feedback`;
}

/** Field errors as the comment page shows them: the field and the catalogue key of its message. */
function pageErrors(err: AppError): Record<string, string> {
  const errors = (err.extensions.errors ?? []) as FieldError[];
  return Object.fromEntries(errors.map((e) => [e.field === 'comment' ? 'comment' : 'helpful', e.code === 'too-long' ? 'tooLong' : 'required']));
}

export function feedbackPages(app: FastifyInstance, deps: { feedback: FeedbackService; agency: Pick<Agency, 'timeZone'> }): void {
  const commentPage = (reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) =>
    reply.page(COMMENT_PAGE, { titleKey: 'feedback.page.title', commentMax: COMMENT_MAX, comment: '', errors: {}, sent: false, back: '', helpfulValue: '', reasons: [], feedbackForm: null, ...extra }, status);

  /**
   * Records what a form sent. About a page (`page` given: the small form, or the comment page it fell back to):
   * back to that page, which says thank you. Else a comment about the Contact Center: the comment page says so.
   * A comment too long, or a form with nothing in it: the comment page with the message, keeping what was typed.
   */
  async function send(request: FastifyRequest, reply: FastifyReply) {
    const lang = resolveLang(request, reply);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const answer = text(body.helpful);
    const helpful = answer === 'yes' ? true : answer === 'no' ? false : undefined;
    // Reasons say why a page was not helpful: ticked, then "Yes" pressed, they are not kept.
    const reasons = helpful === true ? [] : formList(body.reasons).slice(0, REASON_CODES.length * 2);
    const comment = text(body.comment);
    const aboutPage = text(body.page) !== '';
    const back = sameSitePath(text(body.page), '/');
    try {
      if (!aboutPage && comment.trim() === '') throw validationError([{ field: 'comment', code: 'required', detail: 'Write your comment.' }]);
      await deps.feedback.record(await request.actor(),
        aboutPage ? { page: back, helpful, reasons, comment: comment === '' ? undefined : comment } : { comment },
        aboutPage ? { source: 'page-form', lang } : { source: 'comment-page', lang, aboutContactCenter: true }, request.id);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'invalid-request') throw err;
      return commentPage(reply, { errors: pageErrors(err), comment: comment.slice(0, COMMENT_MAX * 2), back: aboutPage ? back : '', helpfulValue: helpful === false ? 'no' : '', reasons }, 400);
    }
    return reply.redirect(aboutPage ? thankedAddress(back) : `/feedback?sent=1&lang=${lang}#feedback-sent`, 303);
  }

  app.post('/feedback/page', { config: { rateLimit: 'public' } }, send);

  app.get('/feedback', { config: { rateLimit: 'public' } }, async (request, reply) => {
    resolveLang(request, reply);
    return commentPage(reply, { sent: text((request.query as Record<string, unknown>).sent) === '1' });
  });

  app.post('/feedback', { config: { rateLimit: 'public' } }, send);

  app.get('/staff/feedback', async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = await request.actor();
    if (actor.kind !== 'staff') return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`);
    const lang = resolveLang(request, reply);
    const staff = authorize(actor, 'view-reports');
    const page = Math.max(1, Math.min(10_000, Number.parseInt(text((request.query as Record<string, unknown>).page), 10) || 1));
    const list = await deps.feedback.list(staff, page, LIST_PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
    return reply.page(STAFF_PAGE, {
      titleKey: 'feedback.staff.title', total: list.total, byPage: list.byPage, page, pages,
      prevHref: page > 1 ? `/staff/feedback?page=${page - 1}` : null, nextHref: page < pages ? `/staff/feedback?page=${page + 1}` : null,
      items: list.items.map((f) => ({ ...f, at: longDateTime(f.createdAt, lang, deps.agency.timeZone) })),
    });
  });
}
