/** The prefix of the session cookie's name; shared by the auth setup and the proxy's sign-in redirect. */
export const AUTH_COOKIE_PREFIX = 'pipelab';
