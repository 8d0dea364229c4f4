/** Posts to the authentication routes and turns their refusals into plain words. */
export async function authRequest(path: string, body: Record<string, unknown>): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(`/api/auth/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    return 'The server could not be reached. Check that Pipelab is running and try again.';
  }
  if (response.ok) return null;
  if (response.status === 429) return 'Too many attempts. Wait a minute and try again.';
  const data = (await response.json().catch(() => null)) as { message?: string; code?: string } | null;
  if (path === 'sign-in/email' && (response.status === 401 || data?.code === 'INVALID_EMAIL_OR_PASSWORD')) {
    return 'That email and password do not match.';
  }
  return data?.message || 'That did not work. Try again.';
}

/** Only a path on this site: "/runs?x=1" yes, "//evil.example" and "https://…" no. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
