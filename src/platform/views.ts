import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { create } from 'express-handlebars';
import Handlebars from 'handlebars';
import type { Translate } from './i18n/index.js';
import { formatFen } from './money.js';
import { formatBeijing, isoShanghai } from './time.js';

export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

type HelperOptions = { hash: Record<string, unknown>; data: { root: { t?: Translate; lang?: string } } };

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const parsed = new Date(value);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  return undefined;
}

export const viewHelpers = {
  /** {{t "pages.home.title" seq=3}}: every user-visible string goes through i18n. */
  t(key: string, options: HelperOptions) {
    const translate = options.data.root.t;
    return translate ? translate(key, options.hash) : key;
  },
  money(fen: unknown) {
    return typeof fen === 'number' ? formatFen(fen) : '';
  },
  date(value: unknown, options: HelperOptions) {
    const date = toDate(value);
    return date ? formatBeijing(date, options.data.root.lang ?? 'zh-CN', false) : '';
  },
  dateTime(value: unknown, options: HelperOptions) {
    const date = toDate(value);
    return date ? formatBeijing(date, options.data.root.lang ?? 'zh-CN', true) : '';
  },
  isoDateTime(value: unknown) {
    const date = toDate(value);
    return date ? isoShanghai(date) : '';
  },
  eq(a: unknown, b: unknown) {
    return a === b;
  },
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  lt: (a: unknown, b: unknown) => Number(a) < Number(b),
  add: (a: unknown, b: unknown) => Number(a) + Number(b),
  subtract: (a: unknown, b: unknown) => Number(a) - Number(b),
  concat(...parts: unknown[]) {
    return parts.slice(0, -1).join('');
  },
  /** JSON for a <script type="application/json"> block; "<" is escaped so it cannot close the tag. */
  jsonScript(value: unknown) {
    const json = JSON.stringify(value ?? null)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
    return new Handlebars.SafeString(json);
  },
};

export function configureViews(app: Express): void {
  const engine = create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(VIEWS_DIR, 'layouts'),
    partialsDir: path.join(VIEWS_DIR, 'partials'),
    helpers: viewHelpers,
    handlebars: Handlebars,
  });
  app.engine('.hbs', engine.engine);
  app.set('view engine', '.hbs');
  app.set('views', VIEWS_DIR);
}
