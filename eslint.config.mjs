import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// lib/session is the framework-free core: it takes cookie strings and injected
// clients, and must never reach for Next, React, Prisma or a database driver.
const FRAMEWORK_IMPORTS = [
  { group: ["next", "next/*"], message: "lib/session is framework-free: Next belongs in lib/server." },
  { group: ["react", "react/*", "react-dom", "react-dom/*"], message: "lib/session is framework-free: no React." },
  { group: ["@prisma/*", "prisma", "*/generated/*"], message: "lib/session takes its database driver injected; Prisma belongs in lib/server." },
  { group: ["ioredis", "redis", "@redis/*"], message: "lib/session takes its Redis client injected as a structural type." },
  { group: ["pg", "better-sqlite3"], message: "lib/session takes its database driver injected as a structural type." },
  { group: ["server-only", "@/lib/server/*", "**/lib/server/*", "../server/*", "../../server/*"], message: "lib/session must not import upwards." },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    files: ["lib/session/**/*.ts"],
    ignores: ["lib/session/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: FRAMEWORK_IMPORTS }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "lib/session never reads process.env: take configuration through defineSessionConfig()." }],
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  globalIgnores([".next/**", "node_modules/**", "lib/server/db/generated/**", "test-results/**", "playwright-report/**", "var/**", "next-env.d.ts"]),
]);
