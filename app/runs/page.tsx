import { RunsPage } from '../_components/RunsPage';

export default function Runs() {
  return <RunsPage />;
}
