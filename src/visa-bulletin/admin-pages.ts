/**
 * /admin/visa-bulletins (admin, English and Spanish): the published months (and which one the priority date check
 * uses today), and a month's two charts entered cell by cell, one text field per category and chargeability area.
 * Publishing calls VisaBulletinService#publish, the method behind PUT /api/v1/visa-bulletins/{month}, so the page,
 * the API and the priority date check never disagree; it audits in its transaction. A refused form names each bad
 * cell (the error summary links to it, the cell carries its own message) and keeps every cell as typed. Forms are
 * CSRF-checked by the page context; authorize() runs before anything is read or changed (403 for other roles).
 */
import { staffPage } from '../platform/http/auth.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors/catalogue.ts';
import { authorize } from '../platform/authorize.ts';
import { resolveLang, translator } from '../platform/views/views.ts';
import { longDateTime, monthYear } from '../platform/i18n/format.ts';
import type { Lang } from '../platform/i18n/i18n.ts';
import { BULLETIN_CATEGORIES, CHARGEABILITIES, isBulletinMonth, normaliseChargeability, readCellInput, type ChartTable } from '../domain/visa-bulletin.ts';
import type { BulletinInput, VisaBulletinService } from './service.ts';
import { CELL_MAX, MAX_COLUMNS } from './policy.ts';

const PATH = '/admin/visa-bulletins';
const text = (v: unknown, max = 200): string => (typeof v === 'string' ? v.slice(0, max) : '');
/** The two charts: the form's short key (in field ids), the service's name (in problem paths), the catalogue key. */
const CHARTS = [
  { key: 'fa', name: 'finalActionDates', chart: 'final-action' },
  { key: 'df', name: 'datesForFiling', chart: 'dates-for-filing' },
] as const;
type ChartKey = (typeof CHARTS)[number]['key'];

/** The signed-in staff member allowed to publish reference data, or a redirect to sign in (null); 403 for other roles. */
const publisher = (request: FastifyRequest, reply: FastifyReply, next: string) => staffPage(request, reply, 'publish-reference-data', next);

/** A chargeability's name for people: from the catalogue, else the bulletin's column name in title case. */
function areaLabel(code: string, lang: Lang): string {
  const key = `priorityDate.chargeability.${code}`;
  const label = translator(lang)(key);
  return label !== key ? label : code.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

/** A month after YYYY-MM. */
const nextMonth = (m: string): string => {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
};

/** What the form holds: the columns (names), the new area's name, and every cell as typed, by field id. */
interface FormState {
  columns: string[];
  newArea: string;
  cells: Record<string, string>;
  /** The month whose cells the form started from, when it is not the month itself. */
  source?: string;
}

const cellId = (chart: ChartKey, category: string, column: number | 'new') => `${chart}-${category}-${column}`;

export function visaBulletinAdminPages(app: FastifyInstance, deps: { visaBulletins: VisaBulletinService; timeZone: string }): void {
  const vb = deps.visaBulletins;

  // ---------------------------------------------------------------- the list of months

  const renderList = async (request: FastifyRequest, reply: FastifyReply, extra: { monthValue?: string; errors?: Record<string, string> } = {}, status = 200) => {
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const [months, applicable] = [await vb.list(), await vb.applicable()];
    const q = (request.query ?? {}) as Record<string, unknown>;
    const published = months.find((m) => m.month === text(q.published))?.month ?? null;
    const thisMonth = vb.today().slice(0, 7);
    const errors = extra.errors ?? {};
    return reply.page('visa-bulletin/views/admin-list.njk', {
      titleKey: 'adminBulletin.title', ...(published ? { outcome: t('adminBulletin.publishedDone', { month: monthYear(published, lang) }) } : {}),
      published: published ? { month: published, monthLong: monthYear(published, lang), inUse: applicable?.month === published } : null,
      months: months.map((m) => ({ ...m, monthLong: monthYear(m.month, lang), publishedText: longDateTime(m.publishedAt, lang, deps.timeZone), inUse: applicable?.month === m.month })),
      monthValue: extra.monthValue ?? (months.some((m) => m.month === thisMonth) ? nextMonth(thisMonth) : thisMonth),
      errors, errorList: Object.entries(errors).map(([href, msg]) => ({ href, text: msg })),
    }, status);
  };

  app.get(PATH, async (request, reply) => {
    if (!await publisher(request, reply, PATH)) return reply;
    return renderList(request, reply);
  });

  // ---------------------------------------------------------------- a month's form

  /** The form's model: both charts as rows of cells, each with its label, value and error. */
  const renderForm = async (reply: FastifyReply, lang: Lang, month: string, state: FormState, errors: Record<string, string>, summary: Array<{ href: string; text: string }>, status = 200) => {
    const t = translator(lang);
    const existing = await vb.get(month).catch((err: unknown) => { if (err instanceof AppError && err.code === 'not-found') return null; throw err; });
    const columns = [
      ...state.columns.map((name, index) => ({ index: String(index), name, label: areaLabel(name, lang), isNew: false, known: (CHARGEABILITIES as readonly string[]).includes(name) })),
      { index: 'new', name: state.newArea, label: t('adminBulletin.newAreaColumn'), isNew: true, known: false },
    ];
    const charts = CHARTS.map((c) => ({
      key: c.key, title: t(`priorityDate.chart.${c.chart}`), hint: t(`adminBulletin.chartHint.${c.chart}`),
      rows: BULLETIN_CATEGORIES.map((category) => ({
        category, label: t(`priorityDate.category.${category}`),
        cells: columns.map((col) => {
          const id = cellId(c.key, category, col.isNew ? 'new' : Number(col.index));
          return { id, value: state.cells[id] ?? '', error: errors[id] ?? '', label: t('adminBulletin.cellLabel', { chart: t(`priorityDate.chart.${c.chart}`), category, area: col.label }) };
        }),
      })),
    }));
    return reply.page('visa-bulletin/views/admin-edit.njk', {
      titleKey: 'adminBulletin.edit.title', month, monthLong: monthYear(month, lang),
      existing: existing ? { publishedText: longDateTime(existing.publishedAt, lang, deps.timeZone) } : null,
      source: state.source ? { monthLong: monthYear(state.source, lang) } : null,
      columns, charts, newArea: state.newArea, errors, errorList: summary,
    }, status);
  };

  /** The form as GET shows it: the month's bulletin, else the latest before it to start from (its columns too). */
  const startingState = async (month: string): Promise<FormState> => {
    const months = (await vb.list()).map((m) => m.month);
    const from = months.includes(month) ? month : (months.find((m) => m < month) ?? months[0]);
    const bulletin = from ? await vb.get(from) : null;
    const tables: Array<[ChartKey, ChartTable]> = bulletin ? [['fa', bulletin.finalActionDates], ['df', bulletin.datesForFiling]] : [];
    const extra = new Set<string>();
    for (const [, table] of tables) for (const row of Object.values(table)) for (const c of Object.keys(row)) if (!(CHARGEABILITIES as readonly string[]).includes(c)) extra.add(c);
    const columns = [...CHARGEABILITIES, ...[...extra].sort()].slice(0, MAX_COLUMNS - 1);
    const cells: Record<string, string> = {};
    for (const [key, table] of tables) {
      for (const [category, row] of Object.entries(table)) for (const [column, cell] of Object.entries(row)) {
        const i = columns.indexOf(column);
        if (i >= 0) cells[cellId(key, category, i)] = cell;
      }
    }
    return { columns, newArea: '', cells, ...(from && from !== month ? { source: from } : {}) };
  };

  app.get(`${PATH}/edit`, async (request, reply) => {
    if (!await publisher(request, reply, PATH)) return reply;
    const lang = resolveLang(request, reply);
    const month = text((request.query as Record<string, unknown>).month, 20).trim();
    if (!isBulletinMonth(month)) {
      return renderList(request, reply, { monthValue: month, errors: { month: translator(lang)(month ? 'adminBulletin.error.month.invalid' : 'adminBulletin.error.month.missing') } }, 400);
    }
    return renderForm(reply, lang, month, await startingState(month), {}, []);
  });

  app.post(PATH, async (request, reply) => {
    const actor = await publisher(request, reply, PATH);
    if (!actor) return reply;
    const lang = resolveLang(request, reply);
    const t = translator(lang);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const month = text(body.month, 20);
    // The month is the form's hidden field, chosen on the list page: a bad one is a broken form, not a typing slip.
    if (!isBulletinMonth(month)) throw new AppError('invalid-request', 'The form names no bulletin month (YYYY-MM).');

    const columns: string[] = [];
    while (columns.length < MAX_COLUMNS - 1 && typeof body[`col-${columns.length}`] === 'string') columns.push(text(body[`col-${columns.length}`], 60));
    const newArea = text(body.newArea, 60).trim();
    const state: FormState = { columns, newArea, cells: {} };
    const input: BulletinInput = { finalActionDates: {}, datesForFiling: {} };
    // The one thing only the form can get wrong: the new area's cells without a name, or with a column's name.
    const taken = new Set(columns.map((name) => normaliseChargeability(name)));
    let newAreaProblem: 'missing' | 'duplicate' | null = newArea && taken.has(normaliseChargeability(newArea)) ? 'duplicate' : null;
    for (const c of CHARTS) {
      for (const category of BULLETIN_CATEGORIES) {
        // Every row is sent, empty or not: an empty row is refused for its missing ALL cell, named.
        const row: Record<string, string> = {};
        const fields = [...columns.map((name, i) => ({ id: cellId(c.key, category, i), column: name })), { id: cellId(c.key, category, 'new'), column: null }];
        for (const { id, column } of fields) {
          const typed = text(body[id], CELL_MAX);
          if (typed) state.cells[id] = typed;
          if (!typed.trim()) continue;
          if (column !== null) row[column] = readCellInput(typed, month);
          else if (!newArea) newAreaProblem = 'missing';
          else if (newAreaProblem !== 'duplicate') row[newArea] = readCellInput(typed, month);
        }
        input[c.name][category] = row;
      }
    }

    // The service's own check, the one the API makes.
    const problems = vb.validate(month, input).problems;
    if (!problems.length && !newAreaProblem) {
      await vb.publish(month, input, actor, request.id);
      return reply.redirect(`${PATH}?published=${month}`, 303);
    }

    const errors: Record<string, string> = {};
    const summary: Array<{ href: string; text: string }> = [];
    const add = (id: string, own: string, named: string) => {
      if (errors[id]) return;
      errors[id] = own;
      summary.push({ href: id, text: named });
    };
    const cellName = (c: (typeof CHARTS)[number], category: string, area: string) => t('adminBulletin.cellLabel', { chart: t(`priorityDate.chart.${c.chart}`), category, area });
    for (const p of problems) {
      const c = CHARTS.find((x) => p.field.startsWith(`${x.name}.`));
      if (!c) continue;
      const rest = p.field.slice(c.name.length + 1);
      const category = rest.slice(0, rest.indexOf('.'));
      const column = rest.slice(rest.indexOf('.') + 1);
      const index = columns.indexOf(column);
      if (newArea && column === newArea && index < 0) {
        // A name that is not an area, or one the form already has a column for.
        add('newArea', t(`adminBulletin.error.newArea.${p.code}`), t(`adminBulletin.error.newAreaNamed.${p.code}`));
        continue;
      }
      const id = cellId(c.key, category, Math.max(index, 0));
      const kind = p.code === 'required' ? 'required' : 'invalid';
      add(id, t(`adminBulletin.error.cell.${kind}`), t(`adminBulletin.error.cellNamed.${kind}`, { cell: cellName(c, category, areaLabel(index >= 0 ? column : 'ALL', lang)) }));
    }
    if (newAreaProblem) add('newArea', t(`adminBulletin.error.newArea.${newAreaProblem}`), t(`adminBulletin.error.newAreaNamed.${newAreaProblem}`));
    // The summary in the order of the form: the new area's name first, then each chart row by row.
    const order = ['newArea', ...CHARTS.flatMap((c) => BULLETIN_CATEGORIES.flatMap((category) => [...columns.map((_, i) => cellId(c.key, category, i)), cellId(c.key, category, 'new')]))];
    summary.sort((a, b) => order.indexOf(a.href) - order.indexOf(b.href));
    return renderForm(reply, lang, month, state, errors, summary, 400);
  });
}
