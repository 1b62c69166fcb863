// "Your sessions" when the engine keeps no per-user index (signed cookies):
// the server cannot answer, and says so with a status that is not the client's fault.
import { expect, it } from "vitest";
import { registerAppDatabase } from "../../../test/helpers/app-database.ts";
import type { CurrentUser } from "../auth/auth.ts";
import { HttpError } from "../http.ts";
import { getSessionRuntime } from "../session/instance.ts";
import { listMySessions, revokeMySession, revokeOtherSessions } from "./sessions.ts";

registerAppDatabase({ SESSION_ENGINE: "signed_cookies" });

it("answers 501 not_implemented, naming the engine, for listing and signing out", async () => {
  const runtime = getSessionRuntime();
  const session = await runtime.openSession(null, await runtime.policy.get()).load();
  const user: CurrentUser = { id: 7, username: "alice", firstName: "Alice", role: null };
  for (const attempt of [listMySessions(session, user), revokeMySession(session, user, "some-id"), revokeOtherSessions(session, user)]) {
    const error = await attempt.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 501, code: "not_implemented", message: expect.stringContaining("(signed_cookies) keeps no per-user index") });
  }
});
