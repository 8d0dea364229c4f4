import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { isPublicPath, signInHref } from './app/auth-redirect';
import { AUTH_COOKIE_PREFIX } from './server/auth/cookie';
import { requestRefusal } from './server/http/api-guard';
import { baseSecurityHeaders, createNonce, securityHeaders } from './server/http/network-guard';

/**
 * Runs before every request except the build's static files (see `config.matcher`):
 * 1. refuses requests addressed to a name this Pipelab does not answer (DNS rebinding), and URLs that are
 *    too long or badly percent-encoded,
 * 2. gives pages a per-request CSP nonce and the security headers,
 * 3. gives API responses nosniff and X-Frame-Options; their CSP is left to the route (the report
 *    routes set a stricter one of their own).
 */
export function proxy(request: NextRequest) {
  const refusal = requestRefusal(request.headers.get('host'), request.url);
  if (refusal) return refusal;

  const { pathname } = request.nextUrl;
  const isApi = pathname === '/api' || pathname.startsWith('/api/');

  // A page asked for without a session cookie goes straight to sign-in (and back afterwards), so
  // nothing of the app flashes first. This only looks for the cookie: the guard behind every
  // procedure and route checks the session itself, and answers 401 when it is not valid.
  if (!isApi && needsSignIn(pathname) && !getSessionCookie(request, { cookiePrefix: AUTH_COOKIE_PREFIX })) {
    return NextResponse.redirect(new URL(signInHref(pathname + request.nextUrl.search), request.nextUrl));
  }

  if (isApi) {
    const response = NextResponse.next();
    for (const [name, value] of Object.entries(baseSecurityHeaders())) response.headers.set(name, value);
    return response;
  }

  const nonce = createNonce();
  const headers = securityHeaders(nonce, process.env);
  // Next reads the nonce from the request's CSP header and puts it on its own scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** Pages other than those that work signed out; files (icons) any page may load are not pages. */
function needsSignIn(pathname: string): boolean {
  return !isPublicPath(pathname) && !pathname.startsWith('/_next/') && !/\.[a-z0-9]+$/i.test(pathname);
}

export const config = {
  // Everything but the build's hashed static files and the API routes that take a body (Next would copy
  // each body into memory for the proxy and cut it at 10 MB): those check the Host themselves
  // (server/http/api-guard.ts). Pages, the other API routes, icons and the rest get the Host check here.
  // Those routes do come here when their path holds a "%" (their own addresses never do): Next fails with a
  // 500 on a path segment it cannot decode before their handler runs, and the proxy answers 400 first.
  matcher: ['/((?!_next/static/|api/trpc/|api/uploads/|api/predict/).*)', '/api/(trpc|uploads|predict)/(.*%.*)'],
};
