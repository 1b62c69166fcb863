import { API_ERRORS, errorResponse } from "@/lib/server/http";

// Any /api path no route claims: a JSON 404 in the house shape, whatever the method or
// body (Next would otherwise render the HTML not-found page, or answer a multipart
// POST as a missing server action with 409).
const notFound = () => errorResponse(404, API_ERRORS.NOT_FOUND, "No such API endpoint.");

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
