/**
 * `loadsPython(text)`: Python's `json.loads` for JS. Integers beyond 2^53 come
 * back as bigint, integral floats (`1.0`) as `PyFloat`, NaN/Infinity are
 * accepted, and objects whose key order JS cannot keep record it under
 * `PYTHON_KEY_ORDER`, so `dumpsPython(loadsPython(s)) === s` for Python output.
 */
import { PYTHON_KEY_ORDER, PyFloat } from "./python-values.ts";

/**
 * Where JSON.parse and Python's json.loads can disagree on valid text, found in
 * one pass: a number starts at the document start or after `[ , :` (and
 * whitespace). Each alternative is a token that may need the full parser; the
 * rest are read alike:
 * - NaN and Infinity (JSON.parse refuses them);
 * - `-0`, an int that Python reads as 0 (JSON.parse as -0);
 * - a run of 16+ digits and dots: an int beyond 2^53 (bigint), or a float of
 *   15+ digits, which may round to an integral value (`1.9999999999999999`);
 * - an exponent (`1e5` is the integral float 100000.0, `1e400` is inf);
 * - a fraction of only zeros (`1.0`, a PyFloat).
 * Below 16 digits and dots, an int is safe and a float with a non-zero fraction
 * is not integral, so an ordinary float (`9.99`) never matches, and one of
 * Python's 17-digit reprs (`0.6428571428571428`) is checked by its value, not
 * sent to the slow parser. Matches inside strings only cost a check.
 */
const SUSPECT_NUMBER = /(?:^|[:,[])\s*(?:(NaN|-?Infinity|-0(?![\d.eE]))|(-?(?:[\d.]{16}|\d[\d.]*[eE]|\d+\.0+(?![1-9]))[\d.eE+-]*))/g;
/** An all-digit key (escaped digits too): JS objects put array-index keys first, Python keeps insertion order. */
const DIGIT_KEY = /"(?:\d|\\u003\d)+"\s*:/;

/** Whether a number token (valid or not) must go to the full parser: JSON.parse would give another value. */
function numberNeedsFullParser(token: string): boolean {
  const n = Number(token);
  if (Number.isNaN(n)) return true; // not a JSON number: let the full parser say why
  const isFloat = token.includes(".") || token.includes("e") || token.includes("E");
  return isFloat ? Number.isInteger(n) || !Number.isFinite(n) : !Number.isSafeInteger(n);
}

function hasSuspectNumber(text: string): boolean {
  SUSPECT_NUMBER.lastIndex = 0;
  for (let m = SUSPECT_NUMBER.exec(text); m !== null; m = SUSPECT_NUMBER.exec(text)) {
    if (m[1] !== undefined || numberNeedsFullParser(m[2]!)) return true;
  }
  return false;
}

/** Python's json refuses deeper nesting (its recursion limit); the writers recurse, so deeper values must never come in. */
const MAX_DEPTH = 1000;
/** Python 3.11+ refuses to convert longer integers (`sys.int_info.default_max_str_digits`); BigInt parsing is superlinear too. */
const MAX_INT_DIGITS = 4300;

export function loadsPython(text: string): unknown {
  return loadsPythonAs(text, needsFullParser(text));
}

/**
 * Whether `text` needs the Python-faithful parser; JSON.parse reads it exactly
 * otherwise. Text nested deeper than Python allows goes to the full parser too,
 * which refuses it (JSON.parse would accept any depth).
 */
export function needsFullParser(text: string): boolean {
  return hasSuspectNumber(text) || DIGIT_KEY.test(text) || (text.length > 2 * MAX_DEPTH && nestsDeeperThan(text, MAX_DEPTH));
}

/** Whether brackets outside strings nest deeper than `limit`; one pass, and only for texts long enough to. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x22) {
      // Skip the string: up to the next quote not escaped by a backslash.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    }
  }
  return false;
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
