import { NextResponse } from "next/server";
import { listMySessions } from "@/lib/server/account/sessions";
import { requireUser } from "@/lib/server/auth/auth";
import { withSession } from "@/lib/server/session/next";

export const GET = withSession(async (_request, { session }) => {
  const user = await requireUser(session);
  return NextResponse.json({ items: await listMySessions(session, user) });
});
