import { appendAudit } from '../audit/service.js';
import { publishAnnouncement } from '../transparency/announcements.js';
import type { Clock } from '../platform/clock.js';
import type { Database, Executor, Tx } from '../platform/db/index.js';
import { uniqueViolation } from '../platform/db/types.js';
import { AppError, conflict, notFound } from '../platform/errors.js';
import {
  changedFields,
  contentOf,
  type PublishedServiceDetail,
  type ServiceContent,
  type ServiceItem,
  type WorkingCopy,
} from './model.js';
import * as repository from './repository.js';
import type { StoredItem } from './repository.js';
import type { CreateServiceInput, ListQuery, WorkingCopiesQuery } from './schemas.js';

export type CatalogDeps = { database: Database; clock: Clock };

export const ENTITY_TYPE = 'service_item';

const publicItem = ({ id: _id, revision: _revision, ...item }: StoredItem): ServiceItem => item;
const workingCopy = (item: StoredItem): WorkingCopy => ({ item: publicItem(item), revision: item.revision });

function codeTaken(code: string): AppError {
  const message = `A service item with code ${code} already exists`;
  return new AppError(409, 'code_taken', message, [{ path: 'code', message }]);
}

async function lockOrFail(tx: Tx, code: string): Promise<StoredItem> {
  const item = await repository.lockItem(tx, code);
  if (!item) throw notFound(`Service item ${code}`);
  return item;
}

/** Publishes content as the item's next version, inside the caller's transaction. */
async function publishContent(
  tx: Tx,
  clock: Clock,
  actor: string,
  item: StoredItem,
  content: ServiceContent,
): Promise<StoredItem> {
  const now = clock.now();
  const previous = item.version > 0 ? await repository.latestVersionContent(tx, item.id) : undefined;
  const changes = changedFields(previous, content);
  const version = item.version + 1;
  const published = await repository.updateItem(tx, item.id, {
    content: { code: item.code, value: content },
    status: 'published',
    version,
    revision: null,
    publishedAt: now,
    at: now,
  });
  await repository.insertVersion(tx, { itemId: item.id, version, content, changedFields: changes, publishedAt: now, publishedBy: actor });
  await appendAudit(tx, clock, {
    actor,
    action: 'service_item.published',
    entityType: ENTITY_TYPE,
    entityId: item.code,
    data: { version, changedFields: changes, content },
  });
  await publishAnnouncement(tx, clock, {
    kind: 'catalogue_change',
    entityType: ENTITY_TYPE,
    entityId: item.code,
    title: `清单${version === 1 ? '发布' : '变更'}公告：${content.name}`,
    body: `${item.code} ${content.name} 发布第 ${version} 版${version === 1 ? '' : `，变更：${changes.join('、')}`}。`,
  });
  return published;
}

/** Inserts a new item (a draft, or published as version 1) inside the caller's transaction. */
export async function insertNewItem(
  tx: Tx,
  clock: Clock,
  actor: string,
  input: CreateServiceInput,
  options: { publish: boolean; source: 'form' | 'import' | 'demo' },
): Promise<StoredItem> {
  const { code, ...rest } = input;
  const content = contentOf(rest);
  const draft = await repository.insertItem(tx, { code, content, status: 'draft', version: 0, at: clock.now() });
  await appendAudit(tx, clock, {
    actor,
    action: 'service_item.created',
    entityType: ENTITY_TYPE,
    entityId: code,
    data: { source: options.source, content },
  });
  return options.publish ? publishContent(tx, clock, actor, draft, content) : draft;
}

export async function createServiceItem(deps: CatalogDeps, actor: string, input: CreateServiceInput): Promise<WorkingCopy> {
  try {
    const item = await deps.database.transaction((tx) => insertNewItem(tx, deps.clock, actor, input, { publish: false, source: 'form' }));
    return workingCopy(item);
  } catch (error) {
    if (uniqueViolation(error)) throw codeTaken(input.code);
    throw error;
  }
}

/**
 * A draft is edited in place. A published item keeps what the public sees; the edits wait as a
 * revision until staff publish it as the next version. A retired item is closed.
 */
export async function editServiceItem(deps: CatalogDeps, actor: string, code: string, input: ServiceContent): Promise<WorkingCopy> {
  const content = contentOf(input);
  return deps.database.transaction(async (tx) => {
    const item = await lockOrFail(tx, code);
    const now = deps.clock.now();
    if (item.status === 'retired') throw conflict('item_retired', `Service item ${code} is retired and cannot be edited`).with({ code });
    if (item.status === 'draft') {
      const changes = changedFields(contentOf(item), content);
      const updated = await repository.updateItem(tx, item.id, { content: { code, value: content }, at: now });
      await appendAudit(tx, deps.clock, { actor, action: 'service_item.edited', entityType: ENTITY_TYPE, entityId: code, data: { changedFields: changes, content } });
      return workingCopy(updated);
    }
    const changes = changedFields(contentOf(item), content);
    // Saving the published content again withdraws the revision rather than keeping an empty one.
    const revision = changes.length === 0 ? null : content;
    const updated = await repository.updateItem(tx, item.id, { revision, at: now });
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'service_item.revision_saved',
      entityType: ENTITY_TYPE,
      entityId: code,
      data: { changedFields: changes, content },
    });
    return workingCopy(updated);
  });
}

export async function discardRevision(deps: CatalogDeps, actor: string, code: string): Promise<WorkingCopy> {
  return deps.database.transaction(async (tx) => {
    const item = await lockOrFail(tx, code);
    if (!item.revision) throw conflict('no_revision', `Service item ${code} has no pending revision`).with({ code });
    const updated = await repository.updateItem(tx, item.id, { revision: null, at: deps.clock.now() });
    await appendAudit(tx, deps.clock, { actor, action: 'service_item.revision_discarded', entityType: ENTITY_TYPE, entityId: code });
    return workingCopy(updated);
  });
}

/** A draft becomes version 1; a published item with a revision becomes the next version. */
export async function publishServiceItem(deps: CatalogDeps, actor: string, code: string): Promise<WorkingCopy> {
  return deps.database.transaction(async (tx) => {
    const item = await lockOrFail(tx, code);
    if (item.status === 'retired') throw conflict('item_retired', `Service item ${code} is retired and cannot be published`).with({ code });
    if (item.status === 'published' && !item.revision) {
      throw conflict('nothing_to_publish', `Service item ${code} has no changes to publish`).with({ code });
    }
    const content = item.status === 'draft' ? contentOf(item) : item.revision!;
    return workingCopy(await publishContent(tx, deps.clock, actor, item, content));
  });
}

/** Retired items leave the public list but keep their page and history; codes are never reused. */
export async function retireServiceItem(deps: CatalogDeps, actor: string, code: string, reason?: string): Promise<WorkingCopy> {
  return deps.database.transaction(async (tx) => {
    const item = await lockOrFail(tx, code);
    if (item.status === 'retired') throw conflict('item_retired', `Service item ${code} is already retired`).with({ code });
    const now = deps.clock.now();
    const updated = await repository.updateItem(tx, item.id, { status: 'retired', revision: null, retiredAt: now, at: now });
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'service_item.retired',
      entityType: ENTITY_TYPE,
      entityId: code,
      data: { version: item.version, ...(reason ? { reason } : {}) },
    });
    if (item.version > 0) {
      await publishAnnouncement(tx, deps.clock, {
        kind: 'catalogue_change',
        entityType: ENTITY_TYPE,
        entityId: code,
        title: `清单停用公告：${item.name}`,
        body: `${code} ${item.name} 停止使用${reason ? `：${reason}` : ''}。`,
      });
    }
    return workingCopy(updated);
  });
}

export async function getWorkingCopy(deps: CatalogDeps, code: string): Promise<WorkingCopy> {
  const item = await repository.findItem(deps.database.db, code);
  if (!item) throw notFound(`Service item ${code}`);
  return workingCopy(item);
}

/**
 * The public item: published or retired, if it was ever published, with every published version.
 * Drafts do not exist for the public.
 */
export async function getPublicService(deps: CatalogDeps, code: string): Promise<PublishedServiceDetail> {
  const db = deps.database.db;
  const item = await repository.findItem(db, code);
  if (!item || item.version === 0) throw notFound(`Service item ${code}`);
  return { ...publicItem(item), history: await repository.listVersions(db, item.id) };
}

/**
 * The published item with this code, or undefined: projects read the time limit and the fee
 * standard here (inside their own transaction if they pass it).
 */
export async function findPublishedService(db: Executor, code: string): Promise<ServiceItem | undefined> {
  const item = await repository.findItem(db, code);
  return item && item.status === 'published' ? publicItem(item) : undefined;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export async function searchPublishedServices(deps: CatalogDeps, query: ListQuery): Promise<Page<ServiceItem>> {
  const result = await repository.searchItems(
    deps.database.db,
    { q: query.q, category: query.category, statuses: ['published'] },
    { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
  );
  return { items: result.items.map(publicItem), total: result.total, page: query.page, pageSize: query.pageSize };
}

export async function searchWorkingCopies(deps: CatalogDeps, query: WorkingCopiesQuery): Promise<Page<WorkingCopy>> {
  const result = await repository.searchItems(
    deps.database.db,
    { q: query.q, category: query.category, statuses: query.status ? [query.status] : ['draft', 'published', 'retired'] },
    { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
  );
  return { items: result.items.map(workingCopy), total: result.total, page: query.page, pageSize: query.pageSize };
}

export async function listPublishedForExport(deps: CatalogDeps): Promise<ServiceItem[]> {
  return (await repository.allPublished(deps.database.db)).map(publicItem);
}
