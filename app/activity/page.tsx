import type { Metadata } from 'next';
import { ActivityPage } from '../_components/accounts/ActivityPage';

export const metadata: Metadata = { title: 'Activity · Pipelab' };

export default function Activity() {
  return <ActivityPage />;
}
