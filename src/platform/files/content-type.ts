/**
 * What a file is, judged by its bytes (magic numbers), never by the name or the type the client
 * claims. Anything not on the allowlist is refused.
 */
export const ALLOWED_MEDIA_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/zip',
  'text/plain',
] as const;

export type AllowedMediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

const startsWith = (data: Buffer, bytes: number[]) => data.length >= bytes.length && bytes.every((byte, i) => data[i] === byte);

// A zip's local file headers carry the entry names in clear; Office Open XML puts its parts under
// word/, xl/ or ppt/, next to [Content_Types].xml.
function zipKind(data: Buffer): AllowedMediaType {
  const hasContentTypes = data.includes('[Content_Types].xml');
  if (hasContentTypes && data.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (hasContentTypes && data.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (hasContentTypes && data.includes('ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  return 'application/zip';
}

// Plain text: valid UTF-8 without control characters other than tab, line breaks and form feed.
function isPlainText(data: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return false;
  }
  for (const char of text) {
    const code = char.charCodeAt(0);
    if ((code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r' && char !== '\f') || code === 0x7f) return false;
  }
  return true;
}

/** The media type of the content, or undefined when it is not an allowed type. */
export function sniffMediaType(data: Buffer): AllowedMediaType | undefined {
  if (data.length === 0) return undefined;
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06])) return zipKind(data);
  if (isPlainText(data)) return 'text/plain';
  return undefined;
}
