import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { PlatformDeps } from '../deps.js';
import { isUploadedFile, type UploadedFile } from '../http/uploads.js';
import type { RouteTable } from '../http/routes.js';
import { readFile, storeFile } from './service.js';
import { entityId, text } from '../text.js';

/** The API path (under /api/v1) that takes multipart/form-data instead of JSON. */
export const FILES_PATH = '/files';

/** Lets the upload request past a JSON-only check; everything else goes through `check`. */
export function exceptFileUpload(check: RequestHandler): RequestHandler {
  return (req, res, next) => (req.method === 'POST' && req.path === FILES_PATH && req.is('multipart/form-data') ? next() : check(req, res, next));
}

export const purposeSchema = text().regex(/^[a-z][a-z_]{0,39}$/, 'a lower-case word such as contract or deliverable');

const uploadSchema = z.object({
  purpose: purposeSchema,
  // z.unknown rather than z.custom, which the OpenAPI generator cannot describe
  file: z.unknown().refine(isUploadedFile, 'attach the file as the multipart field "file"').transform((value) => value as UploadedFile),
});

const fileSummarySchema = z.object({ id: z.number().int(), sha256: text(), sizeBytes: z.number().int(), mediaType: text(), filename: text() });

export function registerFileRoutes(routes: RouteTable, deps: PlatformDeps): void {
  routes.api({
    method: 'post',
    path: FILES_PATH,
    access: 'authenticated',
    summary: 'Upload one file (multipart/form-data: field "file" and "purpose"); the type is judged by content, the size is limited',
    tags: ['files'],
    body: uploadSchema,
    response: { status: 201, description: 'The stored file: id, SHA-256, size, media type, name', schema: fileSummarySchema },
    errors: [429],
    handler: ({ body, user }) => storeFile(deps, user!, body),
  });

  routes.api({
    method: 'get',
    path: `${FILES_PATH}/:id`,
    access: 'public',
    summary: "A file's bytes, as an attachment, for its organisation, staff and whoever its record allows",
    tags: ['files'],
    params: z.object({ id: entityId() }),
    response: { status: 200, description: 'The bytes; X-Content-SHA256 carries the hash', schema: text().meta({ format: 'binary' }), contentType: 'application/octet-stream' },
    // public, so 403 is not implied: a logged-in user whom the file's record does not allow
    errors: [403],
    handler: async ({ params, user, res }) => {
      const file = await readFile(deps, user, params.id);
      res.attachment(file.filename);
      res.setHeader('Content-Type', file.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : file.mediaType);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-SHA256', file.sha256);
      res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`);
      res.status(200).send(file.content);
      return undefined;
    },
  });
}
