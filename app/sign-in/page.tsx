import type { Metadata } from 'next';
import { SignInPage } from '../_components/accounts/SignInPage';

export const metadata: Metadata = { title: 'Sign in · Pipelab' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** /sign-in?next=/path: signs in, then opens the page that asked for it. */
export default async function SignIn({ searchParams }: { searchParams: SearchParams }) {
  const { next } = await searchParams;
  return <SignInPage next={typeof next === 'string' ? next : undefined} />;
}
