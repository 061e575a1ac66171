import { z } from 'zod';
import { entityId, text } from '../platform/text.js';

const id = entityId();
export const projectParams = z.object({ id });
export const questionParams = z.object({ id });
export const ownerParams = z.object({ id });
export const textBody = z.object({ text: text().trim().min(2).max(2000) });
