import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses with saxes (a strict, non-validating XML 1.0 parser): any well-formedness error throws. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const attributes = Object.fromEntries(Object.entries(tag.attributes).map(([key, attribute]) => [key, typeof attribute === 'string' ? attribute : attribute.value]));
    const element: XmlElement = { name: tag.local ?? tag.name, attributes, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    if (stack.length) stack[stack.length - 1]!.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (failure) throw failure;
  if (!root) throw new Error('no root element');
  return root;
}

export const childrenNamed = (element: XmlElement, name: string) => element.children.filter((child) => child.name === name);
export const childText = (element: XmlElement, name: string) => childrenNamed(element, name)[0]?.text;

/** The RFC 4287 elements a feed and each entry must have. */
export function assertAtomFeed(feed: XmlElement): void {
  if (feed.name !== 'feed' || feed.attributes.xmlns !== 'http://www.w3.org/2005/Atom') throw new Error('not an Atom feed');
  for (const name of ['id', 'title', 'updated']) if (childrenNamed(feed, name).length !== 1) throw new Error(`feed needs one <${name}>`);
  for (const entry of childrenNamed(feed, 'entry')) {
    for (const name of ['id', 'title', 'updated']) if (childrenNamed(entry, name).length !== 1) throw new Error(`entry needs one <${name}>`);
    if (!childrenNamed(entry, 'link').some((link) => link.attributes.rel === 'alternate' && link.attributes.href)) throw new Error('entry needs an alternate link');
    for (const name of ['updated', 'published']) {
      const value = childText(entry, name);
      if (value !== undefined && Number.isNaN(new Date(value).getTime())) throw new Error(`entry <${name}> is not a date`);
    }
  }
}
