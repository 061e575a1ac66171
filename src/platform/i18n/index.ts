import { readdirSync, readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export type Translate = TFunction;

type Tree = Record<string, unknown>;

function mergeInto(target: Tree, source: Tree, file: string, prefix = ''): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (value && typeof value === 'object' && existing && typeof existing === 'object') {
      mergeInto(existing as Tree, value as Tree, file, `${prefix}${key}.`);
    } else if (existing !== undefined) {
      throw new Error(`i18n key ${prefix}${key} is defined twice (again in ${file})`);
    } else {
      target[key] = value;
    }
  }
}

/** Each domain keeps its strings in locales/<language>/<domain>.json; they merge into one tree. */
function readLocale(language: Language): Tree {
  const directory = new URL(`./locales/${language}/`, import.meta.url);
  const tree: Tree = {};
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.json')).sort()) {
    mergeInto(tree, JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as Tree, file);
  }
  return tree;
}

export const localeResources: Record<Language, Record<string, unknown>> = {
  'zh-CN': readLocale('zh-CN'),
  en: readLocale('en'),
};

const instance = i18next.createInstance();
await instance.init({
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  resources: Object.fromEntries(
    LANGUAGES.map((language) => [language, { translation: localeResources[language] }]),
  ),
  // Handlebars escapes on output; escaping here too would double-escape.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function translatorFor(language: Language): Translate {
  return instance.getFixedT(language);
}

/** The language a translator speaks (a fixed translator carries it as `lng`). */
export const languageOf = (t: Translate): Language => ((t as { lng?: string }).lng === 'en' ? 'en' : 'zh-CN');

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Maps an Accept-Language header to one of ours: any zh* → zh-CN, any en* → en, by q order. */
export function negotiateLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return undefined;
}
