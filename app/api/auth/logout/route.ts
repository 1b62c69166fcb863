import { NextResponse } from "next/server";
import { logOut } from "@/lib/server/auth/auth";
import { withSession } from "@/lib/server/session/next";

export const POST = withSession(async (_request, { session }) => {
  await logOut(session);
  return NextResponse.json({ ok: true });
});
