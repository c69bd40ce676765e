import { DateTime } from 'luxon';
import { useEffect, useState } from 'react';
import type { Schedule } from '../../../../shared/api/oncall';
import { ConfirmDestructive } from '../../ui/Dialog';
import { ErrorBox } from '../../ui/feedback';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { currentUser, useSession } from '../auth/session';
import { createFeed, loadFeeds, revokeFeed, useOncall } from './slice';

/** The schedule's and the user's own iCal feeds: create one (its address shown once, with Copy), revoke one. */
export function FeedLink({ schedule }: { schedule: Schedule }) {
  const feed = useOncall((s) => s.feed);
  const me = useSession(currentUser)?.id ?? null;
  const mine = (f: { scheduleId: string | null; userId: string | null }) =>
    f.scheduleId === schedule.id || (!!me && f.userId === me);
  const feeds = (useOncall((s) => s.feeds.data) ?? []).filter(mine);
  const [revoking, setRevoking] = useState<string | null>(null);
  const a = useAction();
  useEffect(() => void loadFeeds(), []);
  return (
    <>
      {feeds.length > 0 && (
        <ul aria-label="Feed addresses">
          {feeds.map((f) => (
            <li key={f.id} className="row">
              <span style={{ flex: 1 }}>
                {f.userId ? 'My shifts (all schedules)' : `${schedule.name} schedule`}, created{' '}
                {DateTime.fromMillis(f.createdAt).toFormat('d LLL yyyy HH:mm')}
                <span className="muted">
                  {' '}
                  ·{' '}
                  {f.lastUsedAt
                    ? `last read ${DateTime.fromMillis(f.lastUsedAt).toFormat('d LLL HH:mm')}`
                    : 'never read'}
                </span>
              </span>
              <button className="small danger" onClick={() => setRevoking(f.id)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoking && (
        <ConfirmDestructive
          title="Revoke feed"
          target="revoke"
          description="Calendars subscribed to this address stop updating."
          action="Revoke feed"
          onConfirm={() => revokeFeed(revoking)}
          onClose={() => setRevoking(null)}
        />
      )}
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <button onClick={() => void a.run(() => createFeed({ scheduleId: schedule.id }))}>
          New calendar feed link
        </button>
        {me && (
          <button onClick={() => void a.run(() => createFeed({ userId: me }))}>
            New feed link of my shifts
          </button>
        )}
        {feed && mine(feed) && (
          <>
            <input
              readOnly
              value={feed.url}
              aria-label="Calendar feed address (iCal)"
              style={{ flex: 1, minWidth: 280 }}
              className="mono"
              onFocus={(e) => e.target.select()}
            />
            <button
              onClick={() =>
                void a.run(
                  async () => (await navigator.clipboard.writeText(feed.url), toast('Feed address copied')),
                )
              }
            >
              Copy
            </button>
            <span className="field-hint">
              Shown once: anyone with this address can read the schedule. Revoke it above if it leaks.
            </span>
          </>
        )}
        <ErrorBox error={a.error} />
      </div>
    </>
  );
}
