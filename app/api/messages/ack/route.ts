import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/server/request-body";
import { flashAckInput } from "@/lib/server/schemas";
import { acknowledgeFlash } from "@/lib/server/shop/flash";
import { withSession } from "@/lib/server/session/next";

export const POST = withSession(async (request, { session }) => {
  const { ids } = await readJsonBody(request, flashAckInput);
  await session.load();
  acknowledgeFlash(session, ids);
  return NextResponse.json({ ok: true });
});
