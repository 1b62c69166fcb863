import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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

/** Every lib/server module starts with `import "server-only";`. */
const SERVER_ONLY_FIRST = {
  meta: { type: "problem", messages: { missing: 'lib/server modules start with `import "server-only";` (shared Node code belongs in lib/node).' } },
  create(context) {
    return {
      Program(node) {
        const first = node.body[0];
        if (!(first?.type === "ImportDeclaration" && first.source.value === "server-only" && first.specifiers.length === 0)) {
          context.report({ node: first ?? node, messageId: "missing" });
        }
      },
    };
  },
};

// Everything outside lib/session enters the framework through its one door,
// lib/session/index.ts, so its internals can move without breaking callers.
const ROOT = dirname(fileURLToPath(import.meta.url));
const FRAMEWORK = join(ROOT, "lib", "session");
const SESSION_THROUGH_INDEX = {
  meta: { type: "problem", messages: { internal: "Import the session framework through lib/session (its index.ts), not {{path}}." } },
  create(context) {
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== "string") return;
      let target;
      if (spec.startsWith("@/")) target = join(ROOT, spec.slice(2));
      else if (spec.startsWith(".")) target = resolve(dirname(context.filename), spec);
      else return;
      const inside = relative(FRAMEWORK, target);
      if (inside.startsWith("..") || inside === "" || /^index(\.ts)?$/.test(inside)) return;
      context.report({ node: node.source, messageId: "internal", data: { path: spec } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

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
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/server/**/*.ts", "lib/node/**/*.ts", "cli/**/*.ts", "bench/**/*.ts", "e2e/**/*.ts", "lib/*.ts"],
    plugins: { door: { rules: { "session-through-index": SESSION_THROUGH_INDEX } } },
    rules: { "door/session-through-index": "error" },
  },
  {
    // lib/server is the Next side: every module in it is server-only, so a client
    // component that reaches into it fails the build instead of leaking secrets.
    files: ["lib/server/**/*.ts"],
    ignores: ["lib/server/**/*.test.ts"],
    plugins: { local: { rules: { "server-only-first": SERVER_ONLY_FIRST } } },
    rules: { "local/server-only-first": "error" },
  },
  {
    // lib/node is shared with the command line, which runs outside Next: it must
    // not depend on Next, React or the server-only marker.
    files: ["lib/node/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["next", "next/*", "react", "react/*", "server-only", "@/lib/server/*", "**/lib/server/*", "../server/*", "../../server/*"], message: "lib/node is shared with the CLI: no Next, React, server-only or lib/server imports." },
      ] }],
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  globalIgnores([".next/**", "dist/**", "node_modules/**", "lib/node/db/generated/**", "test-results/**", "playwright-report/**", "var/**", "next-env.d.ts"]),
]);
