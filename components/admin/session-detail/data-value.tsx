import type { PythonValueJson } from "@/lib/admin-api";

/** A Python value JSON has no form for (a datetime from a pickled cache entry…), tagged by the server; see `PythonValueJson`. */
export function pythonValue(value: unknown): PythonValueJson | null {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, "__python__")) return null;
  return typeof (value as { __python__: unknown }).__python__ === "string" ? (value as PythonValueJson) : null;
}

/** The type of a JSON value, in Python's words (the data is Django's session dictionary). */
function typeName(value: unknown): string {
  const python = pythonValue(value);
  if (python) return python.__python__;
  if (value === null) return "None";
  if (Array.isArray(value)) return "list";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  return typeof value === "object" ? "dict" : typeof value;
}

export function TypeTag({ value }: { value: unknown }) {
  return <span className="ml-1.5 rounded bg-stone-100 px-1 py-px font-sans text-[10px] font-medium uppercase tracking-wide text-stone-600 dark:bg-stone-800 dark:text-stone-300">{typeName(value)}</span>;
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="text-stone-500 italic dark:text-stone-400">None</span>;
  if (typeof value === "string") return <span className="break-all text-emerald-800 dark:text-emerald-300">&quot;{value}&quot;</span>;
  if (typeof value === "boolean") return <span className="text-sky-800 dark:text-sky-300">{value ? "True" : "False"}</span>;
  return <span className="tabular-nums text-sky-800 dark:text-sky-300">{String(value)}</span>;
}

/**
 * A JSON value as a collapsible tree: scalars inline, dicts and lists as
 * <details> (keyboard-operable and announced as expandable without any
 * script), open for the first levels.
 */
/** A datetime, date, time, timedelta or timezone: its ISO text (or Python's str()), the type, and the tzinfo it came with. */
function PythonScalar({ value }: { value: Exclude<PythonValueJson, { __python__: "dict" }> }) {
  const tz = "tz" in value ? value.tz : null;
  return (
    <span className="font-mono text-xs">
      <time dateTime={"at" in value ? value.at : undefined} className="break-all text-violet-800 dark:text-violet-300">
        {value.text}
      </time>
      <TypeTag value={value} />
      {tz ? <span className="ml-1.5 font-sans text-[11px] text-stone-500 dark:text-stone-400">{tz === "naive" ? "naive (read as UTC)" : `tzinfo ${tz}`}</span> : null}
    </span>
  );
}

export function DataValue({ value, depth = 0 }: { value: unknown; depth?: number }) {
  const python = pythonValue(value);
  if (python) return python.__python__ === "dict" ? <DataValue value={python.value} depth={depth} /> : <PythonScalar value={python} />;
  if (value === null || typeof value !== "object") {
    return (
      <span className="font-mono text-xs">
        <Scalar value={value} />
        <TypeTag value={value} />
      </span>
    );
  }
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const summary = Array.isArray(value) ? `${entries.length} item${entries.length === 1 ? "" : "s"}` : `${entries.length} key${entries.length === 1 ? "" : "s"}`;
  if (entries.length === 0) {
    return (
      <span className="font-mono text-xs text-stone-500 dark:text-stone-400">
        {Array.isArray(value) ? "[]" : "{}"}
        <TypeTag value={value} />
      </span>
    );
  }
  return (
    <details open={depth < 2} className="group font-mono text-xs">
      <summary className="cursor-pointer rounded text-stone-600 marker:text-stone-400 hover:text-stone-900 focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-stone-400 dark:hover:text-stone-100">
        <span className="font-sans">{summary}</span>
        <TypeTag value={value} />
      </summary>
      <ul className="mt-1 ml-1.5 flex flex-col gap-1 border-l border-stone-200 pl-3 dark:border-stone-700">
        {entries.map(([key, item]) => (
          <li key={key} className="flex flex-wrap items-baseline gap-x-2">
            <span className="text-stone-700 dark:text-stone-300">{Array.isArray(value) ? `[${key}]` : key}:</span>
            <DataValue value={item} depth={depth + 1} />
          </li>
        ))}
      </ul>
    </details>
  );
}
