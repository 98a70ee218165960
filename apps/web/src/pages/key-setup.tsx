import { useLocation } from 'preact-iso';
import { KeyForm, KeyHelp } from '../components/key-form';
import { useSession } from '../session';

/** First step after registering: connect the pendant's account. */
export function KeySetup() {
  const { me, setMe } = useSession();
  const { route } = useLocation();
  const hasKey = me.key.state !== 'none';
  return (
    <section class="stack narrow">
      <h1>{hasKey ? 'Replace your Limitless key' : 'Connect your Limitless pendant'}</h1>
      <p>
        Giggles downloads each day's audio from Limitless overnight and finds the laughs in it. It needs your Limitless API key for that.
      </p>
      <KeyHelp />
      <KeyForm
        submitLabel="Save key"
        onSaved={(key) => {
          setMe({ ...me, key });
          route('/');
        }}
      />
      <p>
        <a href="/">{hasKey ? 'Keep the current key' : 'Skip for now'}</a>
      </p>
      {!hasKey && (
        <p class="muted">
          No key, or recordings from elsewhere? <a href="/upload">Upload recordings</a> — phone memos and recorder files work without a key.
        </p>
      )}
    </section>
  );
}
