import { EndpointsPage } from '../_components/EndpointsPage';

export default function Endpoints() {
  return <EndpointsPage />;
}
