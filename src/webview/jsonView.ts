/**
 * JSON bodies in the panel, with the theme's syntax colours and collapsible objects and arrays. Its own
 * script (dist/webview/jsonView.js, loaded before the panel's): it sets window.OneLoginJsonView, and the
 * panel falls back to plain text without it. Text nodes only (textContent), never HTML: a key or string such
 * as "<img onerror=…>" stays text. The rendered text (textContent of the container) is exactly the text
 * given: the toggles carry no text (their glyph and the "… n keys" hint come from CSS), so copy, find and
 * tests see the JSON as received.
 *
 * render(text, labels) returns an element, or undefined when the text is not JSON (a cut body, for
 * example): the panel then shows the text as it is.
 *
 * DOM: span.json-key, .json-string, .json-number, .json-literal (true/false/null), .json-punct;
 * button.json-toggle[aria-expanded][data-action="json-toggle"] before each non-empty object/array, whose
 * members sit in the following span.json-members (hidden when collapsed), then span.json-ellipsis.
 */

export interface JsonLabels {
  expand?: string;
  collapse?: string;
  keys?: string;
  items?: string;
}

export interface JsonView {
  render(text: string, labels?: JsonLabels): HTMLElement | undefined;
  toggle(toggle: HTMLElement, labels?: JsonLabels): void;
}

declare global {
  interface Window {
    OneLoginJsonView?: JsonView;
  }
}

/** Bodies longer than this render as plain text (the DOM would get too heavy). */
const MAX_CHARS = 200 * 1024;
/** In bodies longer than this, nested objects and arrays start collapsed (the top level stays open). */
const COLLAPSE_CHARS = 4 * 1024;

function span(className: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

/** One token: a string, number, literal, punctuation or whitespace, exactly as in the text. */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\]:,]|\s+/y;

/**
 * Renders JSON text token by token: every number, escape, key order and duplicate key shows exactly
 * as in the text (JSON.parse would round big integers and merge duplicate keys).
 */
function render(text: string, labels?: JsonLabels): HTMLElement | undefined {
  if (typeof text !== 'string' || text.length > MAX_CHARS) return undefined;
  try {
    JSON.parse(text); // only well-formed JSON (a cut body is shown as it is)
  } catch {
    return undefined;
  }
  const L = labels || {};
  const collapseNested = text.length > COLLAPSE_CHARS;
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m || m.index !== at) return undefined;
    tokens.push(m[0]);
  }
  /** The next token that is not whitespace, after index i. */
  const nextSolid = (i: number): number => {
    for (let j = i + 1; j < tokens.length; j++) if (!/^\s/.test(tokens[j])) return j;
    return -1;
  };

  const root = document.createElement('span');
  root.className = 'json-view';
  const stack: { members: HTMLElement; parent: HTMLElement; close: string; count: string }[] = [];
  let current: HTMLElement = root;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const c = tok[0];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      const next = nextSolid(i);
      if (next !== -1 && tokens[next] === close) {
        // Empty: nothing to fold.
        current.append(span('json-punct', tok));
        for (let j = i + 1; j < next; j++) current.append(document.createTextNode(tokens[j]));
        current.append(span('json-punct', close));
        i = next;
        continue;
      }
      const count = countMembers(tokens, i);
      const label = (c === '[' ? L.items || '{0} items' : L.keys || '{0} keys').replace('{0}', String(count));
      const expanded = !(collapseNested && stack.length > 0);
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'json-toggle';
      toggle.dataset.action = 'json-toggle';
      toggle.dataset.count = label;
      toggle.setAttribute('aria-expanded', String(expanded));
      toggle.setAttribute('aria-label', `${expanded ? L.collapse || 'Collapse' : L.expand || 'Expand'} (${label})`);
      current.append(toggle, span('json-punct', tok));
      const members = document.createElement('span');
      members.className = 'json-members';
      members.hidden = !expanded;
      current.append(members);
      stack.push({ members, parent: current, close, count: label });
      current = members;
    } else if (c === '}' || c === ']') {
      const top = stack.pop();
      if (!top || top.close !== tok) return undefined;
      current = top.parent;
      const ellipsis = span('json-ellipsis', '');
      ellipsis.dataset.count = top.count;
      current.append(ellipsis, span('json-punct', tok));
    } else if (c === '"') {
      const next = nextSolid(i);
      current.append(span(next !== -1 && tokens[next] === ':' ? 'json-key' : 'json-string', tok));
    } else if (c === ':' || c === ',') {
      current.append(span('json-punct', tok));
    } else if (tok === 'true' || tok === 'false' || tok === 'null') {
      current.append(span('json-literal', tok));
    } else if (/^\s/.test(tok)) {
      current.append(document.createTextNode(tok));
    } else {
      current.append(span('json-number', tok));
    }
  }
  return stack.length === 0 ? root : undefined;
}

/** The members of the object or array opened at tokens[open]: its top-level commas + 1. */
function countMembers(tokens: string[], open: number): number {
  let depth = 0;
  let commas = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j];
    if (t === '{' || t === '[') depth++;
    else if (t === '}' || t === ']') {
      depth--;
      if (depth === 0) break;
    } else if (t === ',' && depth === 1) commas++;
  }
  return commas + 1;
}

/** Expands or collapses the object or array after a toggle. */
function toggle(toggle: HTMLElement, labels?: JsonLabels): void {
  const members = (toggle.nextElementSibling && toggle.nextElementSibling.nextElementSibling) as HTMLElement | null;
  if (!members || !members.classList.contains('json-members')) return;
  const expanded = toggle.getAttribute('aria-expanded') !== 'true';
  members.hidden = !expanded;
  toggle.setAttribute('aria-expanded', String(expanded));
  const L = labels || {};
  toggle.setAttribute('aria-label', `${expanded ? L.collapse || 'Collapse' : L.expand || 'Expand'} (${toggle.dataset.count || ''})`);
}

window.OneLoginJsonView = Object.freeze({ render, toggle });
