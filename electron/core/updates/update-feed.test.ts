import { describe, expect, it } from 'vitest';
import { updateFeedUrl } from './update-feed';

describe('updateFeedUrl', () => {
  it('prefers a configured feed, then the connected server, then the feed built into the app', () => {
    expect(updateFeedUrl({ configured: 'https://updates.example.com/desktop/${channel}', server: 'https://ops.example.com', channel: 'beta' })).toBe('https://updates.example.com/desktop/beta');
    expect(updateFeedUrl({ configured: null, server: 'https://ops.example.com/', channel: 'stable' })).toBe('https://ops.example.com/updates/stable');
    expect(updateFeedUrl({ configured: null, server: null, channel: 'stable' })).toBeNull();
  });
});
