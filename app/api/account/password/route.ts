import { NextResponse } from "next/server";
import { changePassword } from "@/lib/server/auth/auth";
import { readJsonBody } from "@/lib/server/request-body";
import { changePasswordInput } from "@/lib/server/schemas";
import { withSession } from "@/lib/server/session/next";

export const POST = withSession(async (request, { session, info }) => {
  const { currentPassword, newPassword } = await readJsonBody(request, changePasswordInput);
  await changePassword(session, currentPassword, newPassword, info);
  return NextResponse.json({ ok: true });
});
