import { NextResponse } from "next/server";
import { revokeOtherSessions } from "@/lib/server/account/sessions";
import { requireUser } from "@/lib/server/auth/auth";
import { withSession } from "@/lib/server/session/next";

export const POST = withSession(async (_request, { session }) => {
  const user = await requireUser(session);
  return NextResponse.json(await revokeOtherSessions(session, user));
});
