// One burst of HTTP load with autocannon on loopback, reduced to the figures the results use.
import autocannon from "autocannon";

/**
 * Runs autocannon and returns { rps, p99Ms, ok, other }: completed requests per second, p99 latency, and how
 * many answers had the expected status and how many did not (a figure over failures would be meaningless).
 * `eachRequest(request)`, when given, returns each request's own version (another person's cookie, say).
 */
export async function burst({ url, connections, seconds, amount, method = "GET", headers = {}, body, expectStatus, eachRequest }) {
  const result = await autocannon({
    url,
    connections,
    method,
    headers,
    body,
    ...(eachRequest ? { requests: [{ setupRequest: eachRequest }] } : {}),
    ...(amount ? { amount } : { duration: seconds }),
  });
  const ok = result.statusCodeStats?.[expectStatus]?.count ?? 0;
  const elapsedSeconds = result.duration;
  return { rps: ok / elapsedSeconds, p99Ms: result.latency.p99, ok, other: result.requests.total - ok };
}
