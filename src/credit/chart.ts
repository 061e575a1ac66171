/**
 * The credit history as a small server-rendered SVG line chart: no script, no CDN, and only
 * presentation attributes (the CSP forbids inline styles). Every text is escaped.
 */

export interface ChartPoint {
  month: string;
  score: number;
  grade: string;
}

export interface ChartLabels {
  title: string;
  description: string;
}

const WIDTH = 560;
const HEIGHT = 240;
const PAD = { left: 40, right: 16, top: 16, bottom: 36 };
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function historyChartSvg(points: readonly ChartPoint[], labels: ChartLabels): string {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? plotWidth / 2 : (i * plotWidth) / (points.length - 1));
  const y = (score: number) => PAD.top + plotHeight - (Math.min(100, Math.max(0, score)) / 100) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="credit-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="credit-chart-title credit-chart-desc">`,
    `<title id="credit-chart-title">${escape(labels.title)}</title>`,
    `<desc id="credit-chart-desc">${escape(labels.description)}</desc>`,
  );
  // y axis: gridlines at every 20 points, grade thresholds (60, 70, 80, 90) dashed
  for (let score = 0; score <= 100; score += 10) {
    const threshold = score >= 60 && score <= 90;
    if (score % 20 !== 0 && !threshold) continue;
    parts.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(score)}" y2="${y(score)}" stroke="#d0d4d8" stroke-width="1"${threshold ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text x="${PAD.left - 6}" y="${y(score) + 4}" text-anchor="end" font-size="11" fill="#505a5f">${score}</text>`,
    );
  }
  parts.push(
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotHeight}" stroke="#0b0c0c" stroke-width="1"/>`,
    `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${PAD.top + plotHeight}" y2="${PAD.top + plotHeight}" stroke="#0b0c0c" stroke-width="1"/>`,
  );
  // x axis: one label per month (MM, with the year on January and on the first month)
  points.forEach((point, i) => {
    const label = i === 0 || point.month.endsWith('-01') ? point.month : point.month.slice(5);
    parts.push(`<text x="${x(i)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" font-size="10" fill="#505a5f">${escape(label)}</text>`);
  });
  if (points.length) {
    const path = points.map((point, i) => `${x(i).toFixed(1)},${y(point.score).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="#1d70b8" stroke-width="2"/>`);
    points.forEach((point, i) => {
      parts.push(
        `<circle cx="${x(i).toFixed(1)}" cy="${y(point.score).toFixed(1)}" r="3.5" fill="#1d70b8"><title>${escape(`${point.month}: ${point.score.toFixed(2)} (${point.grade})`)}</title></circle>`,
      );
    });
  }
  parts.push('</svg>');
  return parts.join('');
}
