import busboy from 'busboy';
import type { RequestHandler } from 'express';
import { AppError, badRequest, fileTooLarge } from '../errors.js';

export interface UploadedFile {
  filename: string;
  mimeType: string;
  data: Buffer;
}

/**
 * Parses a multipart/form-data page form with one file field into req.body (text fields, and the
 * file as an UploadedFile), so the CSRF check can read the form's _csrf field. Mount it only on
 * the paths that take uploads, before the CSRF check. Anonymous requests are not parsed: no page
 * takes an upload from them, and their request fails its access check anyway.
 */
export function singleFileUpload(options: { field: string; maxBytes: number }): RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data') || !req.currentUser) return next();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 20, fileSize: options.maxBytes, fieldSize: 10_000 } });
    } catch {
      return next(badRequest('malformed_upload', 'The upload is not valid multipart/form-data'));
    }
    const fields: Record<string, unknown> = {};
    let failure: AppError | undefined;
    let finished = false;
    const finish = (error?: AppError) => {
      if (finished) return;
      finished = true;
      if (error) return next(error);
      req.body = fields;
      next();
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== options.field) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        failure = fileTooLarge(options.maxBytes);
      });
      stream.on('end', () => {
        fields[name] = { filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) } satisfies UploadedFile;
      });
    });
    parser.on('error', () => finish(failure ?? badRequest('malformed_upload', 'The upload is not valid multipart/form-data')));
    parser.on('close', () => finish(failure));
    req.pipe(parser);
  };
}

export const isUploadedFile = (value: unknown): value is UploadedFile =>
  typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).data);
