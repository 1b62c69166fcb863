"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Check, Monitor, Moon, Sun } from "lucide-react";
import { useRouter } from "next/navigation";
import { THEME_COOKIE, THEMES, type Theme, themeClass } from "@/lib/admin-theme";
import { adminPortal } from "./admin-ui";

const ICONS = { system: Monitor, light: Sun, dark: Moon } as const;
const LABELS = { system: "System", light: "Light", dark: "Dark" } as const;

/** System, light or dark: applied at once, remembered in a cookie for the server's next render. */
export function ThemeToggle({ theme }: { theme: Theme }) {
  const router = useRouter();
  const choose = (next: Theme) => {
    document.cookie = `${THEME_COOKIE}=${next}; Path=/admin; Max-Age=31536000; SameSite=Lax`;
    const root = document.getElementById("admin-root");
    if (root) {
      root.classList.remove(...THEMES.map(themeClass));
      root.classList.add(themeClass(next));
    }
    router.refresh();
  };
  const Icon = ICONS[theme];
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label={`Colour scheme: ${LABELS[theme]}`}
        className="inline-flex size-8 items-center justify-center rounded-md text-stone-600 hover:bg-stone-200/60 focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-stone-300 dark:hover:bg-stone-800"
      >
        <Icon aria-hidden className="size-4" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal container={adminPortal()}>
        <DropdownMenu.Content
          sideOffset={6}
          align="end"
          className="z-50 min-w-36 rounded-md border border-stone-200 bg-white p-1 text-sm shadow-lg dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100"
        >
          <DropdownMenu.RadioGroup value={theme} onValueChange={(value) => choose(value as Theme)}>
            {THEMES.map((option) => {
              const ItemIcon = ICONS[option];
              return (
                <DropdownMenu.RadioItem
                  key={option}
                  value={option}
                  className="flex cursor-default items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-stone-100 dark:data-[highlighted]:bg-stone-800"
                >
                  <ItemIcon aria-hidden className="size-4" />
                  <span className="flex-1">{LABELS[option]}</span>
                  <DropdownMenu.ItemIndicator>
                    <Check aria-hidden className="size-4" />
                  </DropdownMenu.ItemIndicator>
                </DropdownMenu.RadioItem>
              );
            })}
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
