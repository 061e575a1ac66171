import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { canonicalJson } from '../platform/canonical-json.js';
import { sha256hex } from '../platform/hash.js';

/** What a firm submits; sealed as a whole (the plan could identify the firm or its price). */
export interface SealedContent {
  amountFen: number;
  promisedDays?: number;
  plan?: string;
  /** comparison: the plan's files, by id and SHA-256, so the receipt commits to their content. */
  planFiles?: { id: number; sha256: string; filename: string }[];
}

const VERSION = 'v1';

/**
 * AES-256-GCM with a fresh 96-bit IV; the additional data binds the ciphertext to its project,
 * firm and submission, so a sealed value moved to another row does not open.
 */
export function seal(key: Buffer, content: SealedContent, binding: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(binding));
  const ciphertext = Buffer.concat([cipher.update(canonicalJson(content), 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
}

export class SealBrokenError extends Error {}

export function unseal(key: Buffer, sealed: string, binding: string): SealedContent {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !ciphertext) throw new SealBrokenError('not a sealed submission');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(binding));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as SealedContent;
  } catch {
    throw new SealBrokenError('the sealed submission does not open: it was altered or sealed with another key');
  }
}

export interface ReceiptFields {
  submissionId: number;
  projectId: number;
  firmId: number;
  receivedAt: string;
  termsVersion: number;
  sealed: string;
}

/** The receipt a firm keeps: SHA-256 of exactly what was stored. */
export const receiptHash = (fields: ReceiptFields): string => sha256hex(canonicalJson(fields));

export const sealBinding = (projectId: number, firmId: number, submissionId: number) => `submission:${projectId}:${firmId}:${submissionId}`;
