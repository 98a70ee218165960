import { Empty } from '../components/states';

export function NotFound() {
  return (
    <Empty title="This page does not exist">
      <p>
        <a href="/">Go to your days</a>
      </p>
    </Empty>
  );
}
