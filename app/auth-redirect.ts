/** Pages that work signed out: they never send the browser to the sign-in page. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === '/sign-in' ||
    pathname === '/setup' ||
    pathname.startsWith('/sign-in/') ||
    pathname.startsWith('/setup/') ||
    pathname.startsWith('/invite/') ||
    pathname.startsWith('/share/')
  );
}

/** Where to go after signing in: a path on this site only (never another site, never "//host"). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f]/.test(next)) return '/';
  const path = next.split(/[?#]/)[0];
  // Back to the sign-in or setup page would go round in a circle.
  if (path === '/sign-in' || path === '/setup' || path.startsWith('/sign-in/') || path.startsWith('/setup/')) return '/';
  return next;
}

export function signInHref(next?: string): string {
  const target = safeNext(next);
  return target === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(target)}`;
}

let redirecting = false;

/** Called when the server says nobody is signed in: off to the sign-in page, coming back here afterwards. */
export function redirectToSignIn(): void {
  if (typeof window === 'undefined' || redirecting) return;
  const { pathname, search } = window.location;
  if (isPublicPath(pathname)) return;
  redirecting = true;
  window.location.assign(signInHref(pathname + search));
}
