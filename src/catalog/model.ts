/**
 * The catalogue's vocabulary and the rules that need no database: categories, fee modes, what a
 * budget may be, what changed between two versions, and how text is prepared for search.
 */

/**
 * 投资建设类, 商事类 and 综合类 are the spec's; 社会事业类 covers services that approvals in
 * health, culture and education require (放射防护评价, 文物影响评估 …), which fit none of them.
 */
export const CATEGORIES = ['投资建设类', '商事类', '社会事业类', '综合类'] as const;
export type Category = (typeof CATEGORIES)[number];

/** i18n keys of the categories (the stored and API value is the Chinese name). */
export const CATEGORY_KEYS: Record<Category, string> = {
  投资建设类: 'investment',
  商事类: 'business',
  社会事业类: 'social',
  综合类: 'general',
};

/** 政府定价, 政府指导价, 市场调节价. */
export const FEE_MODES = ['government', 'guided', 'market'] as const;
export type FeeMode = (typeof FEE_MODES)[number];

export const SERVICE_STATUSES = ['draft', 'published', 'retired'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export interface FeeStandard {
  mode: FeeMode;
  minFen: number | null;
  maxFen: number | null;
  /** 收费依据: the price document, or why the price is left to the market. */
  basis: string;
}

/** What staff write and a version freezes. */
export interface ServiceContent {
  name: string;
  category: Category;
  basis: string;
  timeLimitDays: number;
  fee: FeeStandard;
  qualificationRequirements: string;
  relatedApproval: string;
}

export interface ServiceItem extends ServiceContent {
  code: string;
  status: ServiceStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  retiredAt: Date | null;
}

export interface ServiceVersion {
  version: number;
  content: ServiceContent;
  changedFields: string[];
  publishedAt: Date;
}

/** A published item with its history, as the public sees it. */
export interface PublishedServiceDetail extends ServiceItem {
  history: ServiceVersion[];
}

/** The staff view: the item and the edits waiting to be published, if any. */
export interface WorkingCopy {
  item: ServiceItem;
  revision: ServiceContent | null;
}

/** Content field paths, in the order pages list them. */
export const CONTENT_FIELDS = [
  'name',
  'category',
  'basis',
  'timeLimitDays',
  'fee.mode',
  'fee.minFen',
  'fee.maxFen',
  'fee.basis',
  'qualificationRequirements',
  'relatedApproval',
] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

function valueAt(content: ServiceContent, field: ContentField): unknown {
  if (field.startsWith('fee.')) return content.fee[field.slice(4) as keyof FeeStandard];
  return content[field as keyof ServiceContent];
}

/** The fields that differ between two versions; every field when there is no previous one. */
export function changedFields(previous: ServiceContent | undefined, next: ServiceContent): ContentField[] {
  return CONTENT_FIELDS.filter((field) => !previous || valueAt(previous, field) !== valueAt(next, field));
}

export function contentOf(item: ServiceContent): ServiceContent {
  return {
    name: item.name,
    category: item.category,
    basis: item.basis,
    timeLimitDays: item.timeLimitDays,
    fee: { mode: item.fee.mode, minFen: item.fee.minFen, maxFen: item.fee.maxFen, basis: item.fee.basis },
    qualificationRequirements: item.qualificationRequirements,
    relatedApproval: item.relatedApproval,
  };
}

/**
 * Why a project budget breaks the item's fee standard, or undefined when it does not. Only
 * government-set and government-guided prices bind a budget (SPEC §4); market prices do not.
 */
export function feeBudgetProblem(
  item: Pick<ServiceContent, 'fee'>,
  budgetFen: number,
): 'above_maximum' | 'below_minimum' | undefined {
  if (item.fee.mode === 'market') return undefined;
  if (item.fee.maxFen !== null && budgetFen > item.fee.maxFen) return 'above_maximum';
  if (item.fee.minFen !== null && budgetFen < item.fee.minFen) return 'below_minimum';
  return undefined;
}

/** May a project with this budget buy this service? Projects call it before publishing. */
export function feeAllowsBudget(item: Pick<ServiceContent, 'fee'>, budgetFen: number): boolean {
  return feeBudgetProblem(item, budgetFen) === undefined;
}

/** NFKC folds full-width letters, digits and brackets to their ASCII forms; then lower case. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Every two consecutive characters (code points, so rare CJK extension characters count as one). */
export function bigramsOf(normalized: string): string[] {
  const characters = Array.from(normalized);
  const grams = new Set<string>();
  for (let i = 0; i + 1 < characters.length; i += 1) grams.add(characters[i]! + characters[i + 1]!);
  return [...grams];
}

/** What the search looks in: code, name, category, legal basis and the related approval. */
export function searchFields(code: string, content: ServiceContent): { text: string; bigrams: string[] } {
  const fields = [code, content.name, content.category, content.basis, content.relatedApproval].map(normalizeForSearch);
  const bigrams = new Set<string>();
  for (const field of fields) for (const gram of bigramsOf(field)) bigrams.add(gram);
  return { text: fields.join('\n'), bigrams: [...bigrams].sort() };
}
