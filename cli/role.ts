/**
 * `sessionscope role`: dashboard roles from the command line, the way the
 * first admin of a real deployment is made (as Django's createsuperuser).
 * The rules are the Users page's (lib/node/admin/roles.ts): a change ends
 * the user's sessions and is audited, here as the command line.
 */
import { CLI_ACTOR } from "../lib/node/admin/audit.ts";
import { countAdmins, listRoleHolders, RoleChangeRefused, setUserRole, type RoleChange } from "../lib/node/admin/roles.ts";
import { announceEvent } from "../lib/node/events/from-setup.ts";
import { isRole, ROLES, type Role } from "../lib/roles.ts";
import { UsageError, parseCommandArgs } from "./args.ts";
import { runWithDataContext } from "./context.ts";
import { exitWith, type CliEnv, type CliIo } from "./io.ts";

export const ROLE_HELP = `Usage: sessionscope role grant USERNAME admin|security|viewer
       sessionscope role revoke USERNAME
       sessionscope role list

Grants or withdraws a dashboard role (DATABASE_URL; SESSION_ENGINE and
REDIS_URL for ending sessions):
  admin     everything: sessions, kills, audit log, policy and roles
  security  sees every session, ends sessions, reads the audit log
  viewer    reads sessions and the audit log; changes nothing
A change of role ends the user's sessions, so the new role starts with a
fresh login, and is written to the audit log (actor: command line).
"list" prints everyone who has a role.
Exit status: 0 done, 1 failed (e.g. no such user), 2 usage error.`;

type RoleCommand = { readonly kind: "grant"; readonly username: string; readonly role: Role } | { readonly kind: "revoke"; readonly username: string } | { readonly kind: "list" };

function parseRoleArgs(argv: readonly string[]): RoleCommand | "help" {
  const { positionals, help } = parseCommandArgs(argv, {});
  if (help) return "help";
  const [action, ...rest] = positionals;
  const expect = (count: number, usage: string) => {
    if (rest.length < count) throw new UsageError(`${action} needs ${usage}`);
    if (rest.length > count) throw new UsageError(`unexpected argument ${rest[count]}`);
  };
  switch (action) {
    case "grant": {
      expect(2, "a username and a role");
      const [username, role] = rest as [string, string];
      if (!isRole(role)) throw new UsageError(`unknown role "${role}" (one of ${ROLES.join(", ")})`);
      return { kind: "grant", username, role };
    }
    case "revoke":
      expect(1, "a username");
      return { kind: "revoke", username: rest[0]! };
    case "list":
      expect(0, "nothing");
      return { kind: "list" };
    case undefined:
      throw new UsageError("expected grant, revoke or list");
    default:
      throw new UsageError(`unknown action "${action}" (grant, revoke or list)`);
  }
}

const plural = (n: number) => `${n} session${n === 1 ? "" : "s"}`;

function describeChange(change: RoleChange): string {
  const { user, previousRole, role } = change;
  if (!change.changed) return role ? `${user.username} already has the ${role} role; nothing changed.` : `${user.username} has no dashboard role; nothing changed.`;
  const now = role ? `${user.username} now has the ${role} role` : `${user.username} no longer has a dashboard role`;
  const ended = change.sessionsEndable ? `${plural(change.sessionsEnded)} ended` : "the engine keeps no per-user index, so their sessions were left to expire";
  return `${now} (before: ${previousRole ?? "none"}); ${ended}.`;
}

export async function runRole(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
  let command: RoleCommand;
  try {
    const parsed = parseRoleArgs(argv);
    if (parsed === "help") return exitWith(io.stdout, ROLE_HELP, 0);
    command = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`role: ${error.message} (see --help)`);
    return 2;
  }
  return runWithDataContext("role", env, io, async ({ db, store, redis, env: parsed }) => {
    if (command.kind === "list") {
      const holders = await listRoleHolders(db.prisma);
      if (holders.length === 0) {
        io.stdout("No user has a dashboard role. Make the first admin with: sessionscope role grant USERNAME admin");
        return;
      }
      const width = Math.max("USERNAME".length, ...holders.map((h) => h.username.length));
      io.stdout(`${"USERNAME".padEnd(width)}  ROLE`);
      for (const holder of holders) io.stdout(`${holder.username.padEnd(width)}  ${holder.role}`);
      return;
    }
    const role = command.kind === "grant" ? command.role : null;
    let change: RoleChange;
    try {
      change = await setUserRole(db.prisma, store, { user: { username: command.username }, role, actor: CLI_ACTOR, keepAnAdmin: false });
    } catch (error) {
      // Caught by runWithDataContext: one line on stderr, exit status 1.
      if (error instanceof RoleChangeRefused) throw new Error(error.message);
      throw error;
    }
    io.stdout(describeChange(change));
    // Running apps (with PostgreSQL or Redis between them) refresh their open dashboards; a missed hint changes nothing else.
    if (change.changed) {
      await announceEvent({ databaseUrl: parsed.DATABASE_URL, db, redis }, { type: "role.changed", userId: change.user.id, count: change.sessionsEnded }).catch((error: Error) =>
        io.stderr(`role: warning: running dashboards were not told (${error.message})`),
      );
    }
    if (change.changed && change.previousRole === "admin" && (await countAdmins(db.prisma)) === 0) {
      io.stderr("role: warning: nobody has the admin role now; grant it with: sessionscope role grant USERNAME admin");
    }
  });
}
