/**
 * The only objects the pickle reader builds: Python's datetime values, as
 * data. A pickle names a class (GLOBAL / STACK_GLOBAL) and calls it with a
 * tuple (REDUCE); here the name is matched, as a string, against exactly the
 * classes below, and the call against exactly the argument shapes CPython
 * pickles those classes to. Nothing is imported, looked up or called: a
 * match builds a value object of python-values.ts, anything else is a
 * `PickleError`.
 *
 *   datetime.datetime(state: bytes[10], tzinfo?)   datetime.date(state: bytes[4])
 *   datetime.time(state: bytes[6], tzinfo?)        datetime.timedelta(days, seconds, microseconds)
 *   datetime.timezone(offset: timedelta, name?)    pytz._UTC()   (pytz.utc, Django 3.2's timezone.utc)
 *   _codecs.encode(text, "latin1")                 (how protocol 2 pickles the bytes of a state)
 */
import { PyDate, PyDatetime, PyTime, PyTimedelta, PyTimezone } from "../python-values.ts";
import { PickleError } from "./pickle-error.ts";

/** A class (or function) a pickle named, from the allow-list: a name, never a reference to anything. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {
    Object.freeze(this);
  }
}

/** A bytes value: only ever the state of a datetime value, never session data itself. */
export class PickleBytes {
  constructor(readonly bytes: Uint8Array) {}
}

const ALLOWED = new Map(
  [
    ["datetime", "datetime"],
    ["datetime", "date"],
    ["datetime", "time"],
    ["datetime", "timedelta"],
    ["datetime", "timezone"],
    ["pytz", "_UTC"],
    ["_codecs", "encode"],
  ].map(([module, name]) => [`${module}\n${name}`, new PickleGlobal(module!, name!)]),
);

/** The longest module or name a refusal quotes. */
const QUOTE = 60;

/** The allowed global `module.name`, or a refusal naming what the pickle asked for. */
export function pickleGlobal(opcode: "GLOBAL" | "STACK_GLOBAL", module: unknown, name: unknown): PickleGlobal {
  const found = typeof module === "string" && typeof name === "string" ? ALLOWED.get(`${module}\n${name}`) : undefined;
  if (found) return found;
  const what = typeof module === "string" && typeof name === "string" ? ` ${JSON.stringify(`${module}.${name}`.slice(0, QUOTE))}` : "";
  throw new PickleError(`pickle: refusing opcode ${opcode}${what}: session entries hold only JSON-like values and datetimes, never objects to construct`);
}

/** The values a PickleGlobal may be called with: a tuple (a frozen array, as the reader makes tuples). */
function isTuple(v: unknown): v is readonly unknown[] {
  return Array.isArray(v) && Object.isFrozen(v);
}

function bytesState(v: unknown, size: number, what: string): Uint8Array {
  if (!(v instanceof PickleBytes) || v.bytes.length !== size) throw new PickleError(`pickle: ${what} takes a ${size}-byte state`);
  return v.bytes;
}

function tzinfo(v: unknown, what: string): PyTimezone | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyTimezone) return v;
  throw new PickleError(`pickle: ${what}'s tzinfo must be datetime.timezone or pytz.utc`);
}

/** Python's constructors check ranges; a RangeError from ours becomes the reader's error. */
function build<T>(what: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof RangeError) throw new PickleError(`pickle: ${what}: ${error.message}`);
    throw error;
  }
}

function arity(args: readonly unknown[], min: number, max: number, what: string): void {
  if (args.length < min || args.length > max) throw new PickleError(`pickle: ${what} called with ${args.length} arguments`);
}

const int = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

/** REDUCE: `callable(*args)` for the allowed shapes only. */
export function reduce(callable: unknown, args: unknown): unknown {
  if (!(callable instanceof PickleGlobal)) throw new PickleError("pickle: REDUCE on something that is not an allowed class");
  if (!isTuple(args)) throw new PickleError("pickle: REDUCE without an argument tuple");
  const what = `${callable.module}.${callable.name}`;
  switch (what) {
    case "datetime.datetime": {
      arity(args, 1, 2, what);
      const b = bytesState(args[0], 10, what);
      const tz = tzinfo(args[1], what);
      return build(what, () => new PyDatetime((b[0]! << 8) | b[1]!, b[2]! & 0x7f, b[3]!, b[4]!, b[5]!, b[6]!, (b[7]! << 16) | (b[8]! << 8) | b[9]!, tz, (b[2]! >> 7) as 0 | 1));
    }
    case "datetime.date": {
      arity(args, 1, 1, what);
      const b = bytesState(args[0], 4, what);
      return build(what, () => new PyDate((b[0]! << 8) | b[1]!, b[2]!, b[3]!));
    }
    case "datetime.time": {
      arity(args, 1, 2, what);
      const b = bytesState(args[0], 6, what);
      const tz = tzinfo(args[1], what);
      return build(what, () => new PyTime(b[0]! & 0x7f, b[1]!, b[2]!, (b[3]! << 16) | (b[4]! << 8) | b[5]!, tz, (b[0]! >> 7) as 0 | 1));
    }
    case "datetime.timedelta": {
      arity(args, 3, 3, what);
      if (!args.every(int)) throw new PickleError(`pickle: ${what} takes three integers`);
      return build(what, () => new PyTimedelta(args[0] as number, args[1] as number, args[2] as number));
    }
    case "datetime.timezone": {
      arity(args, 1, 2, what);
      const [offset, name = null] = args;
      if (!(offset instanceof PyTimedelta) || (name !== null && typeof name !== "string")) throw new PickleError(`pickle: ${what} takes a timedelta and a name`);
      return build(what, () => PyTimezone.of(offset, name as string | null));
    }
    case "pytz._UTC":
      arity(args, 0, 0, what);
      return PyTimezone.PYTZ_UTC;
    case "_codecs.encode": {
      arity(args, 2, 2, what);
      const [text, encoding] = args;
      if (typeof text !== "string" || encoding !== "latin1") throw new PickleError(`pickle: ${what} only as protocol 2 writes bytes: (str, "latin1")`);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 0xff) throw new PickleError(`pickle: ${what}: a character beyond latin-1`);
        bytes[i] = c;
      }
      return new PickleBytes(bytes);
    }
    default:
      throw new PickleError(`pickle: REDUCE on ${what}`);
  }
}
