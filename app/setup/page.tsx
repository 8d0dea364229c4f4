import type { Metadata } from 'next';
import { SetupPage } from '../_components/accounts/SetupPage';

export const metadata: Metadata = { title: 'Set up · Pipelab' };

export default function Setup() {
  return <SetupPage />;
}
