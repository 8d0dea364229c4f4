'use client';

import { organizationClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

/** Sign-up, sign-in, sign-out and password changes, through the authentication library at /api/auth. */
export const authClient = createAuthClient({ plugins: [organizationClient()] });

import { MIN_PASSWORD_LENGTH } from '../server/auth/roles';

export { MIN_PASSWORD_LENGTH };

export const TOO_MANY_ATTEMPTS = 'Too many sign-in attempts. Wait a minute and try again.';

interface AuthError {
  message?: string;
  status?: number;
  code?: string;
}

/** A refusal from the authentication library, in plain words. */
export function authErrorMessage(error: AuthError | null | undefined, action: 'sign-in' | 'sign-up' | 'password'): string {
  if (!error) return 'Something went wrong. Try again.';
  if (error.status === 429) return TOO_MANY_ATTEMPTS;
  const code = error.code ?? '';
  if (action === 'sign-in' && (error.status === 401 || code === 'INVALID_EMAIL_OR_PASSWORD')) return 'That email and password do not match.';
  if (action === 'password' && (code === 'INVALID_PASSWORD' || error.status === 401)) return 'Your current password is not right.';
  if (code === 'PASSWORD_TOO_SHORT') return `Use at least ${MIN_PASSWORD_LENGTH} characters for the password.`;
  if (code === 'PASSWORD_TOO_LONG') return 'That password is too long.';
  if (code === 'USER_ALREADY_EXISTS' || code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') {
    return 'There is already an account with this email address. Sign in instead.';
  }
  if (code === 'INVALID_EMAIL') return 'Enter a valid email address.';
  if (error.status === 0 || error.status === undefined) return error.message || 'The server could not be reached. Check the connection and try again.';
  return error.message || 'Something went wrong. Try again.';
}

/** Checks a new password before it is sent: long enough, and typed the same twice. */
export function passwordProblem(password: string, repeat: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters for the password.`;
  if (password !== repeat) return 'The two passwords are not the same.';
  return null;
}
