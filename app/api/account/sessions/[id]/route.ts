import { NextResponse } from "next/server";
import { revokeMySession } from "@/lib/server/account/sessions";
import { requireUser } from "@/lib/server/auth/auth";
import { API_ERRORS, HttpError } from "@/lib/server/http";
import { withSession } from "@/lib/server/session/next";

export const DELETE = withSession<Promise<{ id: string }>>(async (_request, { session, params }) => {
  const { id } = await params;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new HttpError(400, API_ERRORS.BAD_REQUEST, "That is not a session id.");
  const user = await requireUser(session);
  return NextResponse.json(await revokeMySession(session, user, id));
});
