import { NextResponse } from "next/server";
import { changePassword } from "@/lib/server/auth/auth";
import { readJsonBody } from "@/lib/server/request-body";
import { changePasswordInput } from "@/lib/server/schemas";
import { withSession } from "@/lib/server/session/next";

export const POST = withSession(async (request, { session }) => {
  const { currentPassword, newPassword } = await readJsonBody(request, changePasswordInput);
  await changePassword(session, currentPassword, newPassword);
  return NextResponse.json({ ok: true });
});
