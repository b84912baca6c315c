import type { AuthInput, CallOutcome } from '@onebot-gateway/testkit';

/** The URL and headers a bot would send for `auth`. */
export function withAuth(url: string, auth: AuthInput): { url: string; headers: Record<string, string> } {
  const target = new URL(url);
  if (auth.kind === 'query') target.searchParams.set('access_token', auth.token);
  return { url: target.toString(), headers: auth.kind === 'header' ? { authorization: auth.value } : {} };
}

/** A bot calling `POST /` with a raw body, as the conformance suite wants it. */
export async function callOverHttp(baseUrl: string, body: string, auth: AuthInput): Promise<CallOutcome> {
  const { url, headers } = withAuth(`${baseUrl}/`, auth);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  if (response.status === 401 || response.status === 403) return { rejected: true, status: response.status };
  return {
    rejected: false,
    response: JSON.parse(text) as Record<string, unknown>,
    httpStatus: response.status,
  };
}
