/**
 * Horizontal bar charts as server-rendered SVG: no script, no CDN, presentation attributes only
 * (the CSP forbids inline styles). Each chart is `role="img"` with a <title> and <desc>; the page
 * puts the same figures in a table next to it.
 */

export interface Bar {
  label: string;
  value: number;
  /** What the bar's tooltip and value label say, e.g. "12" or "¥1,200.00". */
  display: string;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const WIDTH = 560;
const ROW = 28;
const LABEL_WIDTH = 150;
const VALUE_WIDTH = 110;
const PAD = 8;

export function barChartSvg(id: string, bars: readonly Bar[], labels: { title: string; description: string }): string {
  const height = Math.max(1, bars.length) * ROW + PAD * 2;
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - PAD;
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const safeId = id.replace(/[^a-z0-9-]/gi, '');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="stat-chart" id="${safeId}" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${safeId}-title ${safeId}-desc">`,
    `<title id="${safeId}-title">${escape(labels.title)}</title>`,
    `<desc id="${safeId}-desc">${escape(labels.description)}</desc>`,
    `<line x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH}" y1="${PAD}" y2="${height - PAD}" stroke="#0b0c0c" stroke-width="1"/>`,
  ];
  bars.forEach((bar, i) => {
    const y = PAD + i * ROW;
    const width = max > 0 ? Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * plot) : 0;
    parts.push(
      `<text x="${LABEL_WIDTH - 6}" y="${y + ROW / 2 + 4}" text-anchor="end" font-size="12" fill="#0b0c0c">${escape(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" fill="#1d70b8"><title>${escape(`${bar.label}: ${bar.display}`)}</title></rect>`,
      `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + ROW / 2 + 4}" font-size="12" fill="#505a5f">${escape(bar.display)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
