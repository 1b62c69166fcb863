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

/*
 * Python's datetime values, as Django's cache engines can hold them: a
 * pickled session keeps `datetime.datetime` objects as they are (Django 3.2
 * stores `set_expiry(timedelta)` as an aware datetime), and application data
 * may hold dates and timedeltas too. These are inert value objects, checked
 * as Python's constructors check them, immutable, and written back by the
 * pickle writer in the form they were read in (pytz's utc stays pytz's).
 * JSON has no form for them: `dumpsPython` refuses them, as Django's
 * JSONSerializer does.
 */

const MIN_YEAR = 1;
const MAX_YEAR = 9999;
const MAX_DELTA_DAYS = 999_999_999;
const US_PER_DAY = 86_400_000_000n;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

function checkInt(value: number, min: number, max: number, what: string): void {
  check(Number.isSafeInteger(value) && value >= min && value <= max, `${what} must be an integer in ${min}..${max}, not ${value}`);
}

const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function checkDate(year: number, month: number, day: number): void {
  checkInt(year, MIN_YEAR, MAX_YEAR, "year");
  checkInt(month, 1, 12, "month");
  checkInt(day, 1, month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!, "day");
}

function checkTime(hour: number, minute: number, second: number, microsecond: number, fold: number): void {
  checkInt(hour, 0, 23, "hour");
  checkInt(minute, 0, 59, "minute");
  checkInt(second, 0, 59, "second");
  checkInt(microsecond, 0, 999_999, "microsecond");
  check(fold === 0 || fold === 1, `fold must be 0 or 1, not ${fold}`);
}

const dateText = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
const timeText = (hour: number, minute: number, second: number, microsecond: number) =>
  `${pad(hour)}:${pad(minute)}:${pad(second)}${microsecond ? `.${pad(microsecond, 6)}` : ""}`;

/** Python's `_format_offset`: ±HH:MM, then :SS and .ffffff only when not zero. */
function offsetText(microseconds: number): string {
  const sign = microseconds < 0 ? "-" : "+";
  const us = Math.abs(microseconds);
  const seconds = Math.floor(us / 1e6);
  const rest = us % 1e6;
  let out = `${sign}${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}`;
  if (seconds % 60 || rest) out += `:${pad(seconds % 60)}`;
  if (rest) out += `.${pad(rest, 6)}`;
  return out;
}

/** `datetime.timedelta`, normalised as Python does: 0 <= seconds < 86400, 0 <= microseconds < 10^6, |days| <= 999999999. */
export class PyTimedelta {
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;
  constructor(days = 0, seconds = 0, microseconds = 0) {
    for (const [value, what] of [[days, "days"], [seconds, "seconds"], [microseconds, "microseconds"]] as const) {
      check(Number.isSafeInteger(value), `timedelta ${what} must be an integer, not ${value}`);
    }
    const total = BigInt(days) * US_PER_DAY + BigInt(seconds) * 1_000_000n + BigInt(microseconds);
    let d = total / US_PER_DAY;
    let rest = total % US_PER_DAY;
    if (rest < 0n) {
      d -= 1n;
      rest += US_PER_DAY;
    }
    check(d >= -MAX_DELTA_DAYS && d <= MAX_DELTA_DAYS, `timedelta days=${d}: must have magnitude <= ${MAX_DELTA_DAYS}`);
    this.days = Number(d);
    this.seconds = Number(rest / 1_000_000n);
    this.microseconds = Number(rest % 1_000_000n);
    Object.freeze(this);
  }
  /** The whole span in microseconds (beyond 2^53 for spans over ~285 years: a bigint). */
  totalMicroseconds(): bigint {
    return BigInt(this.days) * US_PER_DAY + BigInt(this.seconds) * 1_000_000n + BigInt(this.microseconds);
  }
  /** `td.total_seconds()`. */
  totalSeconds(): number {
    // Python divides the exact integer; parsing the exact decimal rounds once, as that division does.
    const us = this.totalMicroseconds();
    const abs = us < 0n ? -us : us;
    return Number(`${us < 0n ? "-" : ""}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, "0")}`);
  }
  /** `str(td)`: "2 days, 3:04:05.000006", "-1 day, 23:59:59". */
  toString(): string {
    const s = this.seconds;
    const clock = `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${this.microseconds ? `.${pad(this.microseconds, 6)}` : ""}`;
    return this.days ? `${this.days} day${Math.abs(this.days) === 1 ? "" : "s"}, ${clock}` : clock;
  }
  toJSON(): string {
    return this.toString();
  }
}

const ZERO = new PyTimedelta();
const DAY_US = 86_400_000_000;

/**
 * A fixed-offset tzinfo: `datetime.timezone(offset[, name])`, or pytz's UTC
 * (`pytz.utc`, Django 3.2's `timezone.utc`), kept apart so that it is
 * pickled back as pytz's and Django 3.2 reads the same object it wrote.
 */
export class PyTimezone {
  /** `datetime.timezone.utc`. */
  static readonly UTC = new PyTimezone(ZERO, null, "timezone");
  /** `pytz.utc`. */
  static readonly PYTZ_UTC = new PyTimezone(ZERO, null, "pytz");

  private constructor(
    readonly offset: PyTimedelta,
    readonly name: string | null,
    /** Which class: `datetime.timezone` or pytz's `UTC`. */
    readonly kind: "timezone" | "pytz",
  ) {
    Object.freeze(this);
  }

  /** `datetime.timezone(offset, name)`: strictly within a day either way; like Python, an unnamed zero offset is `timezone.utc` itself. */
  static of(offset: PyTimedelta, name: string | null = null): PyTimezone {
    const us = Number(offset.totalMicroseconds());
    check(us > -DAY_US && us < DAY_US, `timezone offset must be strictly between -timedelta(hours=24) and timedelta(hours=24), not ${offset}`);
    return us === 0 && name === null ? PyTimezone.UTC : new PyTimezone(offset, name, "timezone");
  }

  /** `utcoffset()` in microseconds. */
  offsetMicroseconds(): number {
    return Number(this.offset.totalMicroseconds());
  }
  /** `str(tz)`: its name, "UTC", or "UTC+05:30". */
  toString(): string {
    if (this.name !== null) return this.name;
    const us = this.offsetMicroseconds();
    return us === 0 ? "UTC" : `UTC${offsetText(us)}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** Dates and times print, and stringify to JSON, as their `isoformat()`. */
abstract class IsoFormatted {
  abstract isoformat(): string;
  toString(): string {
    return this.isoformat();
  }
  toJSON(): string {
    return this.isoformat();
  }
}

/** `datetime.date`. */
export class PyDate extends IsoFormatted {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    super();
    checkDate(year, month, day);
    Object.freeze(this);
  }
  /** `d.isoformat()`: "2024-02-29". */
  isoformat(): string {
    return dateText(this.year, this.month, this.day);
  }
}

/** `datetime.time`, naive or with a fixed-offset tzinfo. */
export class PyTime extends IsoFormatted {
  constructor(
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tzinfo: PyTimezone | null = null,
    readonly fold: 0 | 1 = 0,
  ) {
    super();
    checkTime(hour, minute, second, microsecond, fold);
    Object.freeze(this);
  }
  /** `t.isoformat()`: "13:45:00", "13:45:00.000123+02:00". */
  isoformat(): string {
    const zone = this.tzinfo ? offsetText(this.tzinfo.offsetMicroseconds()) : "";
    return timeText(this.hour, this.minute, this.second, this.microsecond) + zone;
  }
}

/**
 * `datetime.datetime`, naive (`tzinfo` null) or aware with a fixed-offset
 * tzinfo, to the microsecond. `toDate()` gives the instant (a naive one read
 * as UTC, as SessionScope reads Django's naive expiry strings).
 */
export class PyDatetime extends IsoFormatted {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tzinfo: PyTimezone | null = null,
    readonly fold: 0 | 1 = 0,
  ) {
    super();
    checkDate(year, month, day);
    checkTime(hour, minute, second, microsecond, fold);
    Object.freeze(this);
  }

  /** The instant of a JS Date (to its millisecond) as an aware datetime in `tzinfo` (default `timezone.utc`), like `datetime.fromtimestamp(t, tz)`. */
  static fromDate(date: Date, tzinfo: PyTimezone = PyTimezone.UTC): PyDatetime {
    const ms = date.getTime();
    check(Number.isFinite(ms), "fromDate: an invalid Date");
    const local = new Date(ms + Math.floor(tzinfo.offsetMicroseconds() / 1000));
    return new PyDatetime(
      local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(),
      local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds() * 1000, tzinfo,
    );
  }

  /** Microseconds since the Unix epoch of the instant (a naive datetime read as UTC). */
  epochMicroseconds(): bigint {
    const wall = new Date(0);
    wall.setUTCFullYear(this.year, this.month - 1, this.day); // not Date.UTC: it maps years 0-99 to 1900-1999
    wall.setUTCHours(this.hour, this.minute, this.second, 0);
    return BigInt(wall.getTime()) * 1000n + BigInt(this.microsecond) - BigInt(this.tzinfo?.offsetMicroseconds() ?? 0);
  }
  /** The instant as a JS Date (microseconds dropped toward the past: a Date holds milliseconds). */
  toDate(): Date {
    const us = this.epochMicroseconds();
    const ms = us / 1000n - (us % 1000n < 0n ? 1n : 0n);
    return new Date(Number(ms));
  }
  /** `dt.isoformat()`: "2026-01-02T03:04:05.678901+00:00", or without an offset when naive. */
  isoformat(): string {
    const zone = this.tzinfo ? offsetText(this.tzinfo.offsetMicroseconds()) : "";
    return `${dateText(this.year, this.month, this.day)}T${timeText(this.hour, this.minute, this.second, this.microsecond)}${zone}`;
  }
}

/** Any of Python's datetime values. */
export type PyDatetimeValue = PyDatetime | PyDate | PyTime | PyTimedelta | PyTimezone;

/** Whether a value is one of Python's datetime values, and which (Python's class name). */
export function pythonDatetimeType(value: unknown): "datetime" | "date" | "time" | "timedelta" | "timezone" | null {
  if (value instanceof PyDatetime) return "datetime";
  if (value instanceof PyDate) return "date";
  if (value instanceof PyTime) return "time";
  if (value instanceof PyTimedelta) return "timedelta";
  if (value instanceof PyTimezone) return "timezone";
  return null;
}
