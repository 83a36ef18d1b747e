import { Link } from 'react-router';
import { Page } from '../ui.tsx';

export function NotFound({ what = 'page' }: { what?: string }) {
  return (
    <Page title="Not found">
      <p>
        This {what} does not exist, or it is not yours. <Link to="/">Search jobs</Link>
      </p>
    </Page>
  );
}
