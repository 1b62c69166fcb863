/**
 * `loadsPython(text)`: Python's `json.loads` for JS. Integers beyond 2^53 come
 * back as bigint, integral floats (`1.0`) as `PyFloat`, NaN/Infinity are
 * accepted, and objects whose key order JS cannot keep record it under
 * `PYTHON_KEY_ORDER`, so `dumpsPython(loadsPython(s)) === s` for Python output.
 */
import { PYTHON_KEY_ORDER, PyFloat } from "./python-values.ts";

/**
 * Text JSON.parse reads exactly as Python does. Numbers start at the document
 * start or after `[ , :`; the test rejects (conservatively, strings may match
 * too) NaN/Infinity, numbers of 16+ digits, exponents, `x.0`, and all-digit keys.
 */
const NEEDS_FULL_PARSER = /(?:^|[:,[])\s*(?:NaN|-?Infinity|-?[\d.]{16}|-?\d[\d.]*[eE]|-?\d+\.0+(?![0-9]))|"(?:\d|\\u003\d)+"\s*:/;

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
  return NEEDS_FULL_PARSER.test(text) || (text.length > 2 * MAX_DEPTH && nestsDeeperThan(text, MAX_DEPTH));
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

/** `loadsPython` with the parser already chosen (callers that cache `needsFullParser`). */
export function loadsPythonAs(text: string, full: boolean): unknown {
  return full ? new Parser(text).parseDocument() : JSON.parse(text);
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
