/**
 * Re-indents JSON text for the panel by changing whitespace only, so what is shown is exactly what the
 * server sent (no rounding, no reordering, no dropped duplicate keys).
 */

/**
 * Re-indents JSON text by changing whitespace only (2 spaces), so every number, string escape, key
 * order and duplicate key stays exactly as received (JSON.parse + stringify would round big integer
 * ids and drop duplicate keys). Call it only on text that parsed as JSON.
 *
 * Indentation grows with depth, so deeply nested text can grow quadratically (20 kB nested 10,000 deep
 * would be 200 million characters): past `maxChars` of output it gives up and returns undefined, and
 * the caller shows the text verbatim.
 */
export function prettyJsonText(text: string, maxChars = Infinity): string | undefined {
  const out: string[] = [];
  let length = 0;
  const push = (...parts: string[]): void => {
    for (const p of parts) {
      out.push(p);
      length += p.length;
    }
  };
  let indent = 0;
  let inString = false;
  let i = 0;
  const n = text.length;
  const newline = (): void => {
    push('\n', '  '.repeat(indent));
  };
  while (i < n) {
    if (length > maxChars) return undefined;
    const c = text[i];
    if (inString) {
      const start = i;
      while (i < n && text[i] !== '"' && text[i] !== '\\') i++;
      if (i > start) push(text.slice(start, i));
      if (i >= n) break;
      if (text[i] === '\\') {
        push(text.slice(i, i + 2));
        i += 2;
      } else {
        push('"');
        inString = false;
        i++;
      }
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        push(c);
        break;
      case '{':
      case '[': {
        let j = i + 1;
        while (j < n && /\s/.test(text[j])) j++;
        const close = c === '{' ? '}' : ']';
        if (text[j] === close) {
          push(c, close);
          i = j;
        } else {
          push(c);
          indent++;
          newline();
        }
        break;
      }
      case '}':
      case ']':
        indent = Math.max(0, indent - 1);
        newline();
        push(c);
        break;
      case ',':
        push(',');
        newline();
        break;
      case ':':
        push(': ');
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      default:
        push(c);
    }
    i++;
  }
  return length > maxChars ? undefined : out.join('');
}
