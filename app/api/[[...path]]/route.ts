import { noSuchEndpoint } from "@/lib/http/json-api.server";

// Whatever no API route serves answers in JSON too: clients parse errors, not Next.js's HTML 404 page.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = noSuchEndpoint();
