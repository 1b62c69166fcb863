import { Bot, CircleHelp, Monitor, Smartphone, Tablet } from "lucide-react";
import type { DeviceInfo } from "@/lib/admin-api";

const ICONS = { desktop: Monitor, mobile: Smartphone, tablet: Tablet, bot: Bot, unknown: CircleHelp } as const;

/** The parsed user agent: an icon for the kind of device, and "Firefox 128 on Linux". */
export function DeviceLabel({ device, className = "" }: { device: DeviceInfo | null; className?: string }) {
  const Icon = ICONS[device?.type ?? "unknown"];
  const label = device?.label || "Unknown device";
  return (
    <span className={`flex min-w-0 items-center gap-2 ${className}`} title={label}>
      <Icon aria-hidden className="size-4 shrink-0 text-stone-500 dark:text-stone-400" />
      <span className={`truncate ${device ? "" : "text-stone-500 dark:text-stone-400"}`}>
        <span className="sr-only">{device?.type ?? "unknown"}: </span>
        {label}
      </span>
    </span>
  );
}
