/** The charts' hover card, in the dashboard's colours (light and dark). */
export function ChartTooltip({
  active,
  label,
  payload,
  formatLabel,
}: {
  active?: boolean;
  label?: string | number;
  payload?: ReadonlyArray<{ readonly name?: string | number; readonly value?: unknown; readonly dataKey?: unknown }>;
  formatLabel: (label: string) => string;
}) {
  if (!active || !payload?.length || label === undefined) return null;
  return (
    <div className="rounded-md border border-stone-200 bg-white px-3 py-2 text-xs shadow-md dark:border-stone-700 dark:bg-stone-800">
      <p className="font-medium">{formatLabel(String(label))}</p>
      <ul className="mt-1 flex flex-col gap-0.5">
        {payload.map((entry) => (
          <li key={String(entry.dataKey)} className="flex justify-between gap-4 tabular-nums">
            <span className="text-stone-600 dark:text-stone-300">{entry.name}</span>
            <span className="font-medium">{Number(entry.value ?? 0).toLocaleString("en-US")}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
