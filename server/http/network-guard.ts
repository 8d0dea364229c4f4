/**
 * Safe network defaults: which Host names this Pipelab answers, and the security headers its
 * responses carry. Pure functions (no Next.js, no Node APIs beyond the Web platform), so they can be
 * unit-tested and used from `proxy.ts`.
 *
 * Why a Host check: Pipelab listens on 127.0.0.1 by default and has no accounts yet, so a page on
 * any web site could otherwise reach it through DNS rebinding (a name that first resolves to the
 * attacker, then to 127.0.0.1). Such requests carry the attacker's name in the Host header; only
 * the loopback names and the configured public name are answered.
 */

/** The environment variables these functions read. */
export interface NetworkEnv {
  PIPELAB_PUBLIC_URL?: string;
  NODE_ENV?: string;
}

/** Loopback names, answered on any port. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

/** "https://pipelab.example.com:8443/x" → { hostname: "pipelab.example.com", port: "8443" }; "" port when none (or the scheme's default). */
export function publicUrlHost(env: NetworkEnv): { hostname: string; port: string } | undefined {
  const raw = env.PIPELAB_PUBLIC_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
  if (!url.hostname) return undefined;
  return { hostname: url.hostname.toLowerCase(), port: url.port };
}

/** The names this Pipelab answers: the loopback names, plus the host (with port, if it names one) of PIPELAB_PUBLIC_URL. */
export function allowedHosts(env: NetworkEnv): string[] {
  const hosts: string[] = [...LOOPBACK_HOSTS];
  const pub = publicUrlHost(env);
  if (pub) {
    const host = pub.port ? `${pub.hostname}:${pub.port}` : pub.hostname;
    if (!hosts.includes(host)) hosts.push(host);
  }
  return hosts;
}

/** Splits a Host header into hostname and port: "[::1]:3000" → ["[::1]", "3000"], "Example.com" → ["example.com", ""]. Undefined when malformed. */
export function parseHostHeader(hostHeader: string): { hostname: string; port: string } | undefined {
  const host = hostHeader.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[^\s:[\]/@]+)(?::(\d{1,5}))?$/.exec(host);
  if (!match) return undefined;
  return { hostname: match[1], port: match[2] ?? '' };
}

/**
 * Whether a request addressed to `hostHeader` may be answered. Loopback names pass on any port; the
 * PIPELAB_PUBLIC_URL name passes when the hostname matches and, if that URL names a port, the port
 * matches too. Everything else is refused, including a missing or malformed Host.
 */
export function isAllowedHost(hostHeader: string | null | undefined, env: NetworkEnv): boolean {
  if (!hostHeader) return false;
  const host = parseHostHeader(hostHeader);
  if (!host) return false;
  if ((LOOPBACK_HOSTS as readonly string[]).includes(host.hostname)) return true;
  const pub = publicUrlHost(env);
  if (!pub || host.hostname !== pub.hostname) return false;
  return !pub.port || host.port === pub.port;
}

/** The plain-text body of the refusal sent for any other Host. It never echoes the Host it got. */
export function refusalMessage(env: NetworkEnv): string {
  return (
    `This Pipelab only answers requests addressed to ${allowedHosts(env).join(', ')}; ` +
    'set PIPELAB_PUBLIC_URL to serve it under another name.\n'
  );
}

/** A fresh, unguessable CSP nonce: 16 random bytes, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy for the app's pages. Scripts run only with this request's nonce (Next
 * applies it to its own scripts when it finds it in the request's CSP header); 'strict-dynamic'
 * lets those scripts load the page's chunks. Development adds 'unsafe-eval', which React uses there
 * to rebuild server error stacks. Styles allow 'unsafe-inline' because React Flow positions nodes
 * with inline styles (a style nonce would make browsers ignore 'unsafe-inline').
 * No 'upgrade-insecure-requests': Pipelab is usually served over plain http (localhost, a LAN).
 */
export function contentSecurityPolicy(nonce: string, env: NetworkEnv): string {
  const dev = env.NODE_ENV !== 'production';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers for every response, API included; none of them can conflict with a route's own headers. */
export function baseSecurityHeaders(): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
}

/**
 * Headers for the app's pages. Referrer-Policy is `same-origin`: Pipelab never needs to tell another
 * site where a visitor came from, and its addresses can hold share tokens, run ids and an internal
 * host name, so nothing is sent cross-origin (strict-origin-when-cross-origin would still send the origin).
 */
export function securityHeaders(nonce: string, env: NetworkEnv = process.env): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(nonce, env),
    ...baseSecurityHeaders(),
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}
