import { isoShanghai } from './time.js';

/**
 * A small Atom (RFC 4287) writer: every text and attribute is escaped, and characters XML 1.0
 * forbids even when escaped (most C0 controls) are dropped, so any database text gives a
 * well-formed document.
 */

export interface AtomEntry {
  id: string;
  title: string;
  link: string;
  published: Date;
  updated: Date;
  summary: string;
  category?: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  selfLink: string;
  alternateLink: string;
  updated: Date;
  author: string;
  entries: readonly AtomEntry[];
}

const allowed = (c: string) => {
  const code = c.codePointAt(0)!;
  return code >= 0x20 ? code !== 0xfffe && code !== 0xffff : c === '\t' || c === '\n' || c === '\r';
};

export const xmlText = (value: string): string =>
  [...value]
    .filter(allowed)
    .join('')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

export function writeAtom(feed: AtomFeed): string {
  const entries = feed.entries.map((entry) =>
    [
      '  <entry>',
      `    <id>${xmlText(entry.id)}</id>`,
      `    <title>${xmlText(entry.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(entry.link)}"/>`,
      `    <published>${isoShanghai(entry.published)}</published>`,
      `    <updated>${isoShanghai(entry.updated)}</updated>`,
      ...(entry.category ? [`    <category term="${xmlText(entry.category)}"/>`] : []),
      `    <summary>${xmlText(entry.summary)}</summary>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `  <id>${xmlText(feed.id)}</id>`,
    `  <title>${xmlText(feed.title)}</title>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(feed.selfLink)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(feed.alternateLink)}"/>`,
    `  <updated>${isoShanghai(feed.updated)}</updated>`,
    `  <author><name>${xmlText(feed.author)}</name></author>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
