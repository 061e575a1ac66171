import { appendAudit } from '../../audit/service.js';
import type { PlatformDeps } from '../deps.js';
import type { Executor } from '../db/index.js';
import { badRequest, fileTooLarge, forbidden, notFound, tooManyRequests, unauthorized } from '../errors.js';
import { sha256hex } from '../hash.js';
import { actorOf, isStaff, type CurrentUser } from '../http/access.js';
import { isUploadedFile, type UploadedFile } from '../http/uploads.js';
import { sniffMediaType } from './content-type.js';
import * as repository from './repository.js';
import type { StoredFileMeta } from './repository.js';

export type { StoredFileMeta } from './repository.js';
export type FileDeps = Pick<PlatformDeps, 'database' | 'clock' | 'config'>;

/**
 * Who besides the uploader's organisation and staff may read a file of one purpose: the domain
 * whose record refers to the file answers (e.g. the owner and the firm of a contract).
 */
export type FileReadRule = (db: Executor, user: CurrentUser | undefined, file: StoredFileMeta) => Promise<boolean>;

const readRules = new Map<string, { rule: FileReadRule; sealed: boolean }>();

/**
 * `sealed`: the file is part of a sealed submission, so not even staff read it before the rule
 * says so (the opening); only the uploading firm does.
 */
export function registerFileReadRule(purpose: string, rule: FileReadRule, options: { sealed?: boolean } = {}): void {
  readRules.set(purpose, { rule, sealed: options.sealed ?? false });
}

export interface FileSummary {
  id: number;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  filename: string;
}

export const summarizeFile = (file: StoredFileMeta): FileSummary => ({
  id: file.id,
  sha256: file.sha256,
  sizeBytes: file.sizeBytes,
  mediaType: file.mediaType,
  filename: file.filename,
});

/** The base name only, without control characters, at most 200 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base.normalize('NFC')].filter((char) => char.charCodeAt(0) >= 0x20 && char !== '\u007f' && char !== '"').join('').trim().slice(0, 200);
  return clean || 'file';
}

/** Stores an upload after checking its size and its type by content; refused files leave no row. */
const HOUR_MS = 60 * 60 * 1000;

/**
 * Files are kept in the database, so one account may upload at most `uploadsPerHour` files in
 * any rolling hour; the next gets 429 with Retry-After until the oldest of them is an hour old.
 */
async function refuseUploadsOverLimit(tx: Executor, deps: FileDeps, user: CurrentUser): Promise<void> {
  const now = deps.clock.now();
  const recent = await repository.uploadTimesSince(tx, user.id, new Date(now.getTime() - HOUR_MS), deps.config.uploadsPerHour);
  if (recent.length < deps.config.uploadsPerHour) return;
  const oldest = recent[0]!;
  throw tooManyRequests(Math.max(1, Math.ceil((oldest.getTime() + HOUR_MS - now.getTime()) / 1000)));
}

export async function storeFile(deps: FileDeps, user: CurrentUser, input: { purpose: string; file: UploadedFile }): Promise<FileSummary> {
  const data = input.file.data;
  if (data.length > deps.config.uploadMaxBytes) {
    throw fileTooLarge(deps.config.uploadMaxBytes);
  }
  const mediaType = sniffMediaType(data);
  if (!mediaType) {
    throw badRequest('file_type_not_allowed', 'Only PDF, PNG, JPEG, Office (docx, xlsx, pptx), zip and plain text files are accepted', [
      { path: 'body.file', message: 'this type of file is not accepted' },
    ]);
  }
  return deps.database.transaction(async (tx) => {
    await refuseUploadsOverLimit(tx, deps, user);
    const stored = await repository.insertFile(tx, {
      sha256: sha256hex(data),
      sizeBytes: data.length,
      mediaType,
      filename: cleanFilename(input.file.filename),
      uploadedBy: user.id,
      organizationId: user.organizationId,
      purpose: input.purpose,
      createdAt: deps.clock.now(),
      content: data,
    });
    // a sealed file (a comparison plan) is audited with the sealed submission that attaches it:
    // a public "firm N uploaded a plan" event would tell who is quoting before the opening
    if (!readRules.get(input.purpose)?.sealed) await appendAudit(tx, deps.clock, {
      actor: actorOf(user),
      action: 'file.uploaded',
      entityType: 'file',
      entityId: stored.id,
      data: { sha256: stored.sha256, sizeBytes: stored.sizeBytes, mediaType, filename: stored.filename, purpose: input.purpose },
    });
    return summarizeFile(stored);
  });
}

/** The file of a page form's upload field, stored; undefined when none was chosen. */
export async function storeFormFile(deps: FileDeps, user: CurrentUser, field: unknown, purpose: string): Promise<FileSummary | undefined> {
  if (!isUploadedFile(field) || field.data.length === 0) return undefined;
  return storeFile(deps, user, { purpose, file: field });
}

async function mayRead(db: Executor, user: CurrentUser | undefined, file: StoredFileMeta): Promise<boolean> {
  const registered = readRules.get(file.purpose);
  if (isStaff(user) && !registered?.sealed) return true;
  if (user && (file.uploadedBy === user.id || (file.organizationId !== null && file.organizationId === user.organizationId))) return true;
  return registered ? registered.rule(db, user, file) : false;
}

/** The file with its bytes, for those allowed to read it. */
export async function readFile(deps: FileDeps, user: CurrentUser | undefined, id: number) {
  const db = deps.database.db;
  const file = await repository.findFile(db, id);
  if (!file) throw notFound('File');
  if (!(await mayRead(db, user, file))) throw user ? forbidden('You may not read this file') : unauthorized();
  return file;
}

/**
 * Checks, inside a command's transaction, that the files exist and were uploaded by the caller's
 * organisation (a 400 naming `field` otherwise), and returns them in the order given.
 */
export async function attachFiles(
  tx: Executor,
  fileIds: number[],
  options: { organizationId: number | null; purpose?: string; field?: string },
): Promise<FileSummary[]> {
  const field = options.field ?? 'fileIds';
  const unique = [...new Set(fileIds)];
  const found = new Map((await repository.findFileMetas(tx, unique)).map((file) => [file.id, file]));
  const wrong = unique.filter((id) => {
    const file = found.get(id);
    return !file || file.organizationId === null || file.organizationId !== options.organizationId || (options.purpose !== undefined && file.purpose !== options.purpose);
  });
  if (wrong.length) {
    throw badRequest('file_not_attachable', `Files ${wrong.join(', ')} do not exist or were not uploaded by your organisation for this purpose`, [
      { path: `body.${field}`, message: 'not one of your uploaded files', params: { ids: wrong.join(', ') } },
    ]);
  }
  return unique.map((id) => summarizeFile(found.get(id)!));
}

/** File summaries by id (for presenting records that refer to files). */
export async function fileSummaries(db: Executor, ids: number[]): Promise<Map<number, FileSummary>> {
  return new Map((await repository.findFileMetas(db, ids)).map((file) => [file.id, summarizeFile(file)]));
}
