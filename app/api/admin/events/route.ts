import type { NextRequest } from "next/server";
import { requireAdmin } from "@/lib/server/admin/access";
import { EVENT_STREAM_HEADERS, openEventStream } from "@/lib/server/event-stream";
import { withSession } from "@/lib/server/session/next";

// A stream per request, never cached or prerendered.
export const dynamic = "force-dynamic";

const stream = withSession(async (request, { session }) => {
  const viewer = await requireAdmin(session, "sessions:view");
  return openEventStream(session, viewer, request.signal);
});

export async function GET(request: NextRequest, route: { params: Promise<Record<string, never>> }): Promise<Response> {
  const response = await stream(request, route);
  // Errors too: nothing this route answers may be stored, or transformed on the way.
  response.headers.set("Cache-Control", EVENT_STREAM_HEADERS["Cache-Control"]);
  return response;
}
