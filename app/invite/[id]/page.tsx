import type { Metadata } from 'next';
import { InvitePage } from '../../_components/accounts/InvitePage';

export const metadata: Metadata = { title: 'Invitation · Pipelab' };

/** An invitation link: /invite/<id>. Works signed out. */
export default async function Invite({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <InvitePage id={id} />;
}
