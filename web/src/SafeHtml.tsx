/**
 * A job description's sanitised HTML (GET /jobs/:id `descriptionHtml`) rendered as React elements.
 * The server already sanitised it; the browser sanitises again by construction: the HTML is parsed
 * (DOMParser: inert, nothing runs or loads) and only allow-listed elements are rebuilt, with no
 * attribute but a checked href. No dangerouslySetInnerHTML.
 */
import { createElement, type ReactNode } from 'react';

const ALLOWED: Record<string, string> = {
  p: 'p',
  br: 'br',
  ul: 'ul',
  ol: 'ol',
  li: 'li',
  strong: 'strong',
  b: 'strong',
  em: 'em',
  i: 'em',
  h3: 'h3',
  h4: 'h4',
  h5: 'h5',
  h6: 'h6',
  a: 'a',
};

/** Elements whose content is not text to show. */
const DROPPED = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math']);

function safeHref(raw: string | null): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function build(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const element = node as Element;
  if (DROPPED.has(element.tagName.toLowerCase())) return null;
  const children = Array.from(element.childNodes, build);
  const tag = ALLOWED[element.tagName.toLowerCase()];
  if (!tag) return children.length > 0 ? createElement('span', { key }, ...children) : null;
  if (tag === 'br') return createElement('br', { key });
  if (tag === 'a') {
    const href = safeHref(element.getAttribute('href'));
    if (!href) return createElement('span', { key }, ...children);
    return createElement('a', { key, href, rel: 'nofollow noopener noreferrer', target: '_blank' }, ...children);
  }
  return createElement(tag, { key }, ...children);
}

export function SafeHtml({ html, className }: { html: string; className?: string }) {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  return <div className={className}>{Array.from(body.childNodes, build)}</div>;
}
