/** The dashboard's colour scheme preference, kept in a plain (non-secret) cookie so the server renders it. */
export const THEME_COOKIE = "sessionscope-theme";
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export function parseTheme(value: string | undefined | null): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

/** The class that applies a theme to the dashboard's root element (see globals.css). */
export const themeClass = (theme: Theme): string => (theme === "system" ? "theme-system" : theme);
