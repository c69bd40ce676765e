import { useEffect } from 'react';
import { navigate } from '../shell/ui';
import { loadOnCallNow, onCallLine, useOncall } from './slice';

const REFRESH_MS = 60_000;

/** "On call: Ana (Ops)" in the status bar, refreshed every minute; a click opens the schedules. */
export function OnCallStatus() {
  const now = useOncall((s) => s.now);
  const error = useOncall((s) => s.nowError);
  useEffect(() => {
    // A failed refresh is shown in the bar itself (nowError) and tried again on the next round.
    const refresh = () => void loadOnCallNow().catch(() => undefined);
    refresh();
    const t = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  return (
    <button
      data-testid="oncall-now"
      onClick={() => navigate({ screen: 'oncall' })}
      title={error ? `Could not load who is on call: ${error}` : 'Open the on-call schedules'}
    >
      On call: {error && now.length === 0 ? <span className="sev-high">unknown</span> : onCallLine(now)}
    </button>
  );
}
