"use client";

import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { ImpactBuckets } from "@/lib/admin-api";
import { formatNumber } from "@/lib/admin-format";
import { BUCKETS } from "./policy-fields";

const CURRENT = "#a8a29e"; // stone-400
const CANDIDATE = "#d97706"; // amber-600

/**
 * Sessions ending by each horizon, the policy in force beside the candidate.
 * Readable without colour: the candidate's bars are striped, every bar
 * carries its number, and the legend names both. The table under it says
 * the same for screen readers (the chart itself is hidden from them).
 */
export function ImpactChart({ current, candidate }: { current: ImpactBuckets; candidate: ImpactBuckets }) {
  const data = BUCKETS.map(({ key, short }) => ({ label: short, current: current[key], candidate: candidate[key] }));
  return (
    <div aria-hidden className="h-56 text-stone-600 dark:text-stone-300" data-testid="impact-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 18, right: 4, bottom: 0, left: -12 }} barGap={3}>
          <defs>
            <pattern id="policy-candidate-stripes" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill={CANDIDATE} />
              <line x1="0" y1="0" x2="0" y2="6" stroke="#78350f" strokeWidth="2.5" />
            </pattern>
          </defs>
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.15} />
          <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={{ stroke: "currentColor", strokeOpacity: 0.3 }} interval={0} />
          <YAxis allowDecimals={false} tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} tickFormatter={(v: number) => formatNumber(v)} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span className="text-stone-700 dark:text-stone-200">{value}</span>} />
          <Bar dataKey="current" name="In force now" fill={CURRENT} radius={[3, 3, 0, 0]} isAnimationActive={false}>
            <LabelList dataKey="current" position="top" fontSize={11} fill="currentColor" formatter={(v: unknown) => formatNumber(Number(v))} />
          </Bar>
          <Bar dataKey="candidate" name="With your changes (striped)" fill="url(#policy-candidate-stripes)" stroke={CANDIDATE} radius={[3, 3, 0, 0]} isAnimationActive={false}>
            <LabelList dataKey="candidate" position="top" fontSize={11} fill="currentColor" formatter={(v: unknown) => formatNumber(Number(v))} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The chart's numbers as a table: what a screen reader reads, and a sighted admin can check. */
export function ImpactTable({ current, candidate }: { current: ImpactBuckets; candidate: ImpactBuckets }) {
  return (
    <table className="w-full text-xs tabular-nums">
      <caption className="sr-only">Sessions that end, by when, under the policy in force and with your changes</caption>
      <thead className="text-left text-stone-500 dark:text-stone-400">
        <tr>
          <th scope="col" className="py-1 font-medium">
            Sessions ending
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            In force now
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            With changes
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-stone-100 dark:divide-stone-800">
        {BUCKETS.map(({ key, label }) => (
          <tr key={key}>
            <th scope="row" className="py-1 text-left font-normal text-stone-600 dark:text-stone-300">
              {label}
            </th>
            <td className="py-1 text-right">{formatNumber(current[key])}</td>
            <td className={`py-1 text-right ${candidate[key] !== current[key] ? "font-semibold text-amber-800 dark:text-amber-400" : ""}`}>{formatNumber(candidate[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
