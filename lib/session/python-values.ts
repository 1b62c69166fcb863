/**
 * Python value semantics for the JSON codec: the `PyFloat` box that keeps a
 * float with an integral value (`1.0`) distinct from an int (`1`), Python's
 * `repr(float)` formatting, and the symbol recording a dict's key order.
 */

/**
 * A plain object can carry its Python key order under this non-enumerable
 * symbol, because JS moves integer-like keys ("2", "10") to the front.
 */
export const PYTHON_KEY_ORDER: unique symbol = Symbol.for("sessionscope.pythonKeyOrder");

/** A Python float whose value is integral (`1.0`, `-0.0`, `1e+22`), kept boxed so it re-encodes as a float. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

/** `repr(x)` for a Python float: shortest round-trip digits, exponent form when exp < -4 or >= 16. */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() with no argument gives the shortest digits that round-trip, like Python's repr.
  const sci = x.toExponential();
  const ePos = sci.indexOf("e");
  const negative = sci.charCodeAt(0) === 45;
  const mantissa = sci.slice(negative ? 1 : 0, ePos);
  const exponent = Number(sci.slice(ePos + 1));
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const frac = digits.length > 1 ? "." + digits.slice(1) : "";
    const expAbs = Math.abs(exponent);
    return `${sign}${digits[0]}${frac}e${exponent < 0 ? "-" : "+"}${expAbs < 10 ? "0" : ""}${expAbs}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const intLen = exponent + 1;
  if (digits.length <= intLen) return `${sign}${digits}${"0".repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}
