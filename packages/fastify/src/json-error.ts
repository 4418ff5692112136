/**
 * Where and why a JSON text fails to parse, in the words of Python's `json` module: FastAPI answers
 * a malformed body with `loc: ["body", <pos>]` and `ctx.error: <message>`. V8's `JSON.parse` gives
 * neither reliably, so this scanner re-reads the text (only when parsing failed).
 */
export interface JsonSyntaxProblem {
  /** Python's message, e.g. "Expecting property name enclosed in double quotes". */
  readonly msg: string;
  /** Character (code point) position, as Python counts it. */
  readonly pos: number;
}

class Problem {
  constructor(
    readonly msg: string,
    readonly at: number,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

/** Scans a string starting at its opening quote; returns the index after the closing quote. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new Problem("Unterminated string starting at", start);
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) throw new Problem("Invalid control character at", i);
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === undefined) throw new Problem("Unterminated string starting at", start);
      if (e === "u") {
        if (!HEX4.test(text.slice(i + 2, i + 6))) throw new Problem("Invalid \\uXXXX escape", i + 1);
        i += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(e)) throw new Problem("Invalid \\escape", i);
      i += 2;
      continue;
    }
    i++;
  }
}

/** Scans one scalar value (string, number, literal) at `i`; returns the index after it. */
function scanScalar(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return scanString(text, i);
  for (const literal of ["null", "true", "false"]) if (text.startsWith(literal, i)) return i + literal.length;
  NUMBER.lastIndex = i;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  throw new Problem("Expecting value", i);
}

/** A container being scanned: what is expected next inside it. */
interface Frame {
  readonly object: boolean;
}

/** Scans with an explicit stack, so a deeply nested body cannot overflow the call stack. */
function scan(text: string): void {
  const stack: Frame[] = [];
  let i = skipSpace(text, 0);
  // `value`: a value is expected at `i`; otherwise a value just ended before `i`.
  let expectValue = true;
  for (;;) {
    if (expectValue) {
      const c = text[i];
      if (c === "{" || c === "[") {
        const object = c === "{";
        i = skipSpace(text, i + 1);
        const close = object ? "}" : "]";
        if (text[i] === close) {
          i++;
          expectValue = false;
        } else {
          stack.push({ object });
          if (object) i = key(text, i);
        }
        continue;
      }
      i = scanScalar(text, i);
      expectValue = false;
      continue;
    }
    i = skipSpace(text, i);
    const frame = stack[stack.length - 1];
    if (frame === undefined) {
      if (i < text.length) throw new Problem("Extra data", i);
      return;
    }
    const close = frame.object ? "}" : "]";
    if (text[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    if (text[i] !== ",") throw new Problem("Expecting ',' delimiter", i);
    const comma = i;
    i = skipSpace(text, i + 1);
    if (text[i] === close) throw new Problem(`Illegal trailing comma before end of ${frame.object ? "object" : "array"}`, comma);
    if (frame.object) i = key(text, i);
    expectValue = true;
  }
}

/** Scans `"name" :` at `i` (after whitespace); returns the index of the value. */
function key(text: string, i: number): number {
  if (text[i] !== '"') throw new Problem("Expecting property name enclosed in double quotes", i);
  i = skipSpace(text, scanString(text, i));
  if (text[i] !== ":") throw new Problem("Expecting ':' delimiter", i);
  return skipSpace(text, i + 1);
}

/**
 * Locates the first syntax error of `text` as Python's `json.loads` reports it, or `undefined` when
 * the text is valid JSON syntax.
 *
 * @example
 * ```ts
 * jsonSyntaxProblem('{"a": 1,}'); // { msg: "Illegal trailing comma before end of object", pos: 7 }
 * ```
 */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    // Python counts code points; JavaScript strings index UTF-16 units.
    let pos = 0;
    for (const _ of text.slice(0, error.at)) pos++;
    return { msg: error.msg, pos };
  }
}
