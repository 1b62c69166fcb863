import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/server/auth/auth";
import { withSession } from "@/lib/server/session/next";

export const GET = withSession(async (_request, { session }) => NextResponse.json({ user: await getCurrentUser(session) }));
