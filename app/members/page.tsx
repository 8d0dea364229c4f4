import type { Metadata } from 'next';
import { MembersPage } from '../_components/accounts/MembersPage';

export const metadata: Metadata = { title: 'Members · Pipelab' };

export default function Members() {
  return <MembersPage />;
}
