/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, undefined members
 * dropped. The same value always encodes to the same string, which is what hashing needs.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const encoded = JSON.stringify(value);
    return encoded === undefined ? 'null' : encoded;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/** The JSON data model of a value (Dates become strings), as it will come back from jsonb. */
export function toJsonValue<T>(value: T): unknown {
  return JSON.parse(canonicalJson(value));
}
