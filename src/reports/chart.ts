/**
 * Server-rendered bar charts as accessible SVG: role="img" named by its <title> and described by its <desc> (which
 * says every value in words), the same numbers in a data table beside it (the page renders it), no JavaScript, and
 * no inline styles (the Content-Security-Policy allows none): colours are presentation attributes. Pure.
 */

export interface Bar { label: string; value: number; /** The value as shown (a formatted number). */ shown: string }

export interface BarChart {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  /** A sentence before the values, e.g. "Calls by tier:". */
  summary: string;
  bars: readonly Bar[];
}

const WIDTH = 640;
const LABEL_WIDTH = 220;
const VALUE_WIDTH = 70;
const BAR_HEIGHT = 28;
const GAP = 12;
const PAD = 8;
/** USWDS primary (blue-60v) on white: 7.1:1; text in base-darkest. */
const BAR_FILL = '#005ea2';
const TEXT_FILL = '#1b1b1b';
const EMPTY_FILL = '#dfe1e2';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The chart's SVG text (escaped; safe to place in the page as is). */
export function barChartSvg(chart: BarChart, emptyText: string): string {
  const id = chart.id.replace(/[^A-Za-z0-9_-]/g, '-');
  const rows = chart.bars.length || 1;
  const height = PAD * 2 + rows * BAR_HEIGHT + (rows - 1) * GAP;
  const max = Math.max(0, ...chart.bars.map((b) => b.value));
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - PAD * 2;
  const desc = chart.bars.length ? `${chart.summary} ${chart.bars.map((b) => `${b.label}: ${b.shown}`).join('; ')}.` : `${chart.summary} ${emptyText}`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sb-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" focusable="false">`,
    `<title id="${id}-title">${escapeXml(chart.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
  ];
  if (!chart.bars.length) {
    parts.push(`<text x="${PAD}" y="${PAD + BAR_HEIGHT / 2}" dominant-baseline="middle" font-size="16" fill="${TEXT_FILL}" aria-hidden="true">${escapeXml(emptyText)}</text>`);
  }
  chart.bars.forEach((b, i) => {
    const y = PAD + i * (BAR_HEIGHT + GAP);
    const w = max > 0 ? Math.round((b.value / max) * span) : 0;
    const mid = y + BAR_HEIGHT / 2;
    parts.push(
      `<g aria-hidden="true">`,
      `<text x="${LABEL_WIDTH - PAD}" y="${mid}" text-anchor="end" dominant-baseline="middle" font-size="16" fill="${TEXT_FILL}">${escapeXml(b.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${span}" height="${BAR_HEIGHT}" fill="${EMPTY_FILL}" fill-opacity="0.35"/>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${BAR_FILL}"/>`,
      `<text x="${LABEL_WIDTH + span + PAD}" y="${mid}" dominant-baseline="middle" font-size="16" font-weight="bold" fill="${TEXT_FILL}">${escapeXml(b.shown)}</text>`,
      `</g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
