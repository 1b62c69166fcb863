/**
 * `loadsPython(text)`: Python's `json.loads` for JS. Integers beyond 2^53 come
 * back as bigint, integral floats (`1.0`) as `PyFloat`, NaN/Infinity are
 * accepted, and objects whose key order JS cannot keep record it under
 * `PYTHON_KEY_ORDER`, so `dumpsPython(loadsPython(s)) === s` for Python output.
 */
import { PYTHON_KEY_ORDER, PyFloat } from "./python-values.ts";

/** Python's json refuses deeper nesting (its recursion limit); the writers recurse, so deeper values must never come in. */
const MAX_DEPTH = 1000;
/** Python 3.11+ refuses to convert longer integers (`sys.int_info.default_max_str_digits`); BigInt parsing is superlinear too. */
const MAX_INT_DIGITS = 4300;

export function loadsPython(text: string): unknown {
  return loadsPythonAs(text, needsFullParser(text));
}

/**
 * Whether `text` needs the Python-faithful parser; JSON.parse reads it exactly
 * otherwise. One pass over the text, skipping strings, stops at the first of
 * what JSON.parse and Python's json.loads read differently:
 * - NaN and Infinity (JSON.parse refuses them);
 * - a number token that Python reads as another value (see numberNeedsFullParser);
 * - an all-digit key, escaped digits included: a JS object puts array-index keys
 *   first, Python keeps insertion order;
 * - nesting deeper than Python allows (JSON.parse accepts any depth).
 * Invalid text may pass: JSON.parse then refuses it and the full parser gives
 * Python's error (loadsPythonAs).
 */
export function needsFullParser(text: string): boolean {
  const n = text.length;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i + 1;
      let end = text.indexOf('"', start);
      while (end > 0 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end < 0) return false; // unterminated string: invalid text
      if (isDigitKey(text, start, end)) return true;
      i = end;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      for (let d = text.charCodeAt(j); (d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d; d = text.charCodeAt(++j));
      if (numberNeedsFullParser(text, i, j)) return true;
      i = j - 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x4e || c === 0x49) {
      return true; // NaN, Infinity
    }
  }
  return false;
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function isEscaped(text: string, at: number): boolean {
  let k = at - 1;
  while (text.charCodeAt(k) === 0x5c) k--;
  return (at - 1 - k) % 2 === 1;
}

/** Whether the string text[start, end) is all digits (`\u003N` escapes included) and a key (a `:` follows). */
function isDigitKey(text: string, start: number, end: number): boolean {
  if (start === end) return false;
  for (let m = start; m < end; ) {
    const c = text.charCodeAt(m);
    if (c >= 0x30 && c <= 0x39) m++;
    else if (c === 0x5c && text.startsWith("\\u003", m) && text.charCodeAt(m + 5) >= 0x30 && text.charCodeAt(m + 5) <= 0x39) m += 6;
    else return false;
  }
  let k = end + 1;
  for (let d = text.charCodeAt(k); d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09; d = text.charCodeAt(++k));
  return text.charCodeAt(k) === 0x3a;
}

/**
 * Whether the number token text[i, j) (valid or not) must go to the full
 * parser, because JSON.parse would give another value than Python:
 * - `-0`, an int Python reads as 0 (JSON.parse as -0);
 * - an int beyond 2^53 (a bigint);
 * - a float with an integral value (a PyFloat: `1.0`, `1e5`, and
 *   `1.9999999999999999`, which rounds to 2.0) or an infinite one (`1e400`).
 * Decided from the characters where that is certain, else from the value:
 * - fewer than 16 digits and dots, no exponent: an int is safe, and a float is
 *   integral only when its fraction is all zeros;
 * - a longer float (Python's 17-digit reprs like `0.6428571428571428`,
 *   `time.time()`) with L <= 15 integer digits whose first 15 - L fraction
 *   digits hold a digit other than 0 and one other than 9: it is at least
 *   10^(L-15) from any integer, more than half a double's spacing below 10^L
 *   (2^-53 * 2 * 10^L), so it cannot round to one;
 * - anything else (exponents, long ints): by its value.
 */
function numberNeedsFullParser(text: string, i: number, j: number): boolean {
  const first = text.charCodeAt(i) === 0x2d ? i + 1 : i;
  let dot = -1;
  for (let m = first; m < j; m++) {
    const c = text.charCodeAt(m);
    if (c === 0x2e) dot = m;
    else if (c === 0x65 || c === 0x45) return valueNeedsFullParser(text.slice(i, j));
  }
  if (dot < 0) return j - first >= 16 ? valueNeedsFullParser(text.slice(i, j)) : first > i && j - first === 1 && text.charCodeAt(first) === 0x30;
  if (j - first < 16) {
    for (let m = dot + 1; m < j; m++) if (text.charCodeAt(m) !== 0x30) return false;
    return true;
  }
  const integerDigits = dot - first;
  if (integerDigits <= 15) {
    let notZero = false;
    let notNine = false;
    for (let m = dot + 1, last = Math.min(j, dot + 1 + 15 - integerDigits); m < last; m++) {
      const c = text.charCodeAt(m);
      if (c < 0x30 || c > 0x39) break;
      if (c !== 0x30) notZero = true;
      if (c !== 0x39) notNine = true;
    }
    if (notZero && notNine) return false;
  }
  return valueNeedsFullParser(text.slice(i, j));
}

function valueNeedsFullParser(token: string): boolean {
  const n = Number(token);
  if (Number.isNaN(n)) return true; // not a JSON number: the full parser says why
  const isFloat = token.includes(".") || token.includes("e") || token.includes("E");
  return isFloat ? Number.isInteger(n) || !Number.isFinite(n) : !Number.isSafeInteger(n) || Object.is(n, -0);
}

/**
 * `loadsPython` with the parser already chosen (callers that cache `needsFullParser`).
 * Text JSON.parse refuses goes to the full parser, so that the error is Python's.
 */
export function loadsPythonAs(text: string, full: boolean): unknown {
  if (!full) {
    try {
      return JSON.parse(text);
    } catch {
      // Python's message, not V8's (the full parser refuses it too).
    }
  }
  return new Parser(text).parseDocument();
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const STRING_CHUNK = /[^"\\\u0000-\u001f]*/y;
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail("Extra data");
    return value;
  }

  private fail(message: string): never {
    return this.failAt(this.pos, message);
  }

  private failAt(pos: number, message: string): never {
    this.pos = pos;
    throw new SyntaxError(`${message}: line 1 column ${pos + 1} (char ${pos})`);
  }

  private skipWhitespace(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  private parseValue(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail("Nesting too deep");
    this.skipWhitespace();
    const t = this.text;
    const c = t[this.pos];
    switch (c) {
      case "{":
        return this.parseObject(depth);
      case "[":
        return this.parseArray(depth);
      case '"':
        return this.parseString();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      case "N":
        return this.literal("NaN", NaN);
      case "I":
        return this.literal("Infinity", Infinity);
      case "-":
        if (t.startsWith("-Infinity", this.pos)) return this.literal("-Infinity", -Infinity);
        return this.parseNumber();
      default:
        if (c !== undefined && c >= "0" && c <= "9") return this.parseNumber();
        return this.fail("Expecting value");
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail("Expecting value");
    this.pos += word.length;
    return value;
  }

  private parseNumber(): number | bigint | PyFloat {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) return this.fail("Expecting value");
    this.pos = NUMBER.lastIndex;
    const literal = m[0];
    if (m[1] === undefined && m[2] === undefined) {
      const digits = literal.length - (literal.startsWith("-") ? 1 : 0);
      if (digits > MAX_INT_DIGITS) {
        // Python's own message (ValueError from int()).
        this.failAt(this.pos - literal.length, `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion: value has ${digits} digits`);
      }
      const n = Number(literal);
      if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
      return BigInt(literal);
    }
    const f = Number(literal);
    return Number.isInteger(f) || !Number.isFinite(f) ? new PyFloat(f) : f;
  }

  private parseString(): string {
    const t = this.text;
    this.pos++;
    let out = "";
    for (;;) {
      STRING_CHUNK.lastIndex = this.pos;
      STRING_CHUNK.exec(t);
      out += t.slice(this.pos, STRING_CHUNK.lastIndex);
      this.pos = STRING_CHUNK.lastIndex;
      const c = t[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c !== "\\") this.fail(c === undefined ? "Unterminated string" : "Invalid control character");
      out += this.parseEscape();
    }
  }

  private parseEscape(): string {
    const e = this.text[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case '"': return '"';
      case "\\": return "\\";
      case "/": return "/";
      case "b": return "\b";
      case "f": return "\f";
      case "n": return "\n";
      case "r": return "\r";
      case "t": return "\t";
      case "u": {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("Invalid \\uXXXX escape");
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        this.pos -= 2;
        return this.fail("Invalid \\escape");
    }
  }

  private parseArray(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === "]") return out;
      if (c !== ",") this.failAt(this.pos - 1, "Expecting ',' delimiter");
    }
  }

  private parseObject(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    const order: string[] = [];
    let reordered = false;
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail("Expecting property name enclosed in double quotes");
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos++] !== ":") this.failAt(this.pos - 1, "Expecting ':' delimiter");
      const value = this.parseValue(depth + 1);
      if (!Object.hasOwn(out, key)) order.push(key);
      if (ARRAY_INDEX.test(key)) reordered = true;
      // Own data property even for "__proto__", as JSON.parse does (assignment would set the prototype).
      if (key === "__proto__") Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === "}") break;
      if (c !== ",") this.failAt(this.pos - 1, "Expecting ',' delimiter");
    }
    if (reordered && Object.keys(out).some((k, i) => k !== order[i])) {
      Object.defineProperty(out, PYTHON_KEY_ORDER, { value: order, enumerable: false });
    }
    return out;
  }
}
