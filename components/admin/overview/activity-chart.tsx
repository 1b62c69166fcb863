"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AdminStats } from "@/lib/admin-api";
import { ChartTable } from "./chart-table";
import { ChartTooltip } from "./chart-tooltip";

/** Each series by line style as well as colour: solid, dashed, dotted (a legend names them). */
const SERIES = [
  { key: "logins", name: "Logins", dash: undefined, line: "[&_.series-logins_.recharts-line-curve]:stroke-amber-600 dark:[&_.series-logins_.recharts-line-curve]:stroke-amber-500", sample: "stroke-amber-600 dark:stroke-amber-500" },
  { key: "kills", name: "Kills", dash: "6 4", line: "[&_.series-kills_.recharts-line-curve]:stroke-stone-700 dark:[&_.series-kills_.recharts-line-curve]:stroke-stone-200", sample: "stroke-stone-700 dark:stroke-stone-200" },
  { key: "logouts", name: "Logouts", dash: "2 3", line: "[&_.series-logouts_.recharts-line-curve]:stroke-sky-700 dark:[&_.series-logouts_.recharts-line-curve]:stroke-sky-400", sample: "stroke-sky-700 dark:stroke-sky-400" },
] as const;

const hourLabel = (hour: string) => `${new Date(hour).toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" })} UTC`;
const shortHour = (hour: string) => `${hour.slice(11, 13)}:00`;

/** Logins, kills and logouts over the last 24 hours, hour by hour; a table with the same numbers for screen readers. */
export function ActivityChart({ hourly }: { hourly: AdminStats["hourly"] }) {
  return (
    <div>
      <ul className="mb-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-stone-700 dark:text-stone-300" aria-label="Legend">
        {SERIES.map((series) => (
          <li key={series.key} className="flex items-center gap-1.5">
            <svg aria-hidden width="24" height="8" className={series.sample}>
              <line x1="0" y1="4" x2="24" y2="4" strokeWidth="2" strokeDasharray={series.dash} />
            </svg>
            {series.name}
            <span className="sr-only">
              {" "}
              ({series.dash === undefined ? "solid" : series.key === "kills" ? "dashed" : "dotted"} line)
            </span>
          </li>
        ))}
      </ul>
      <div
        aria-hidden
        className={`h-56 text-stone-600 dark:text-stone-400 [&_.recharts-cartesian-grid_line]:stroke-stone-200 dark:[&_.recharts-cartesian-grid_line]:stroke-stone-800 ${SERIES.map((s) => s.line).join(" ")}`}
      >
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 640, height: 224 }}>
          <LineChart data={[...hourly]} margin={{ top: 4, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} />
            <XAxis dataKey="hour" tickFormatter={shortHour} tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} interval={3} />
            <YAxis allowDecimals={false} tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} width={48} />
            <Tooltip content={<ChartTooltip formatLabel={hourLabel} />} />
            {SERIES.map((series) => (
              <Line
                key={series.key}
                className={`series-${series.key}`}
                type="monotone"
                dataKey={series.key}
                name={series.name}
                strokeWidth={2}
                strokeDasharray={series.dash}
                dot={false}
                activeDot={{ r: 3 }}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ChartTable
        caption="Logins, kills and logouts per hour, last 24 hours (UTC)"
        columns={["Hour", "Logins", "Kills", "Logouts"]}
        rows={hourly.map((slot) => ({ key: slot.hour, label: hourLabel(slot.hour), values: [slot.logins, slot.kills, slot.logouts] }))}
      />
    </div>
  );
}
