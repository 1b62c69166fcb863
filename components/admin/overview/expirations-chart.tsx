"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AdminStats } from "@/lib/admin-api";
import { ChartTable } from "./chart-table";
import { ChartTooltip } from "./chart-tooltip";

const dayLabel = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/**
 * Live sessions by the day they end, today and the next 14 days: a bar chart, and
 * the same numbers as a table for screen readers. Colours come from CSS
 * (presentation attributes cannot follow dark mode).
 */
export function ExpirationsChart({ days }: { days: AdminStats["expirations"] }) {
  const total = days.reduce((sum, day) => sum + day.count, 0);
  return (
    <div>
      <div
        aria-hidden
        className="h-56 text-stone-600 dark:text-stone-400 [&_.recharts-bar-rectangle_path]:fill-amber-600 dark:[&_.recharts-bar-rectangle_path]:fill-amber-500 [&_.recharts-cartesian-grid_line]:stroke-stone-200 dark:[&_.recharts-cartesian-grid_line]:stroke-stone-800"
      >
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 640, height: 224 }}>
          <BarChart data={[...days]} margin={{ top: 4, right: 4, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={12} />
            <YAxis allowDecimals={false} tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} width={48} />
            <Tooltip cursor={{ fillOpacity: 0.08 }} content={<ChartTooltip formatLabel={dayLabel} />} />
            <Bar dataKey="count" name="Sessions ending" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartTable
        caption={`Live sessions ending each day, today and the next 14 days (UTC): ${total.toLocaleString("en-US")} in all`}
        columns={["Day", "Sessions ending"]}
        rows={days.map((day) => ({ key: day.day, label: dayLabel(day.day), values: [day.count] }))}
      />
    </div>
  );
}
