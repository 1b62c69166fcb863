import { NextResponse } from "next/server";
import { authenticate, logIn } from "@/lib/server/auth/auth";
import { readJsonBody } from "@/lib/server/request-body";
import { loginInput } from "@/lib/server/schemas";
import { withSession } from "@/lib/server/session/next";

export const POST = withSession(async (request, { session, info }) => {
  const { username, password } = await readJsonBody(request, loginInput);
  const user = await authenticate(username, password, info);
  return NextResponse.json({ user: await logIn(session, user) });
});
