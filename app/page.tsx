import { PipelinesPage } from './_components/PipelinesPage';

export default function Home() {
  return <PipelinesPage />;
}
