// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiTokenInfo } from '../../../../shared/api/users';
import { TestBridge } from '../../test-support/fake-bridge';
import { TokensTab } from './TokensTab';
import { useAdmin } from './slice';

const DAY = 86_400_000;
const now = Date.now();
const token = (over: Partial<ApiTokenInfo>): ApiTokenInfo => ({
  id: 'tok1',
  name: 'prometheus',
  scopes: ['alerts:ingest'],
  createdBy: 'u1',
  createdAt: now,
  lastUsedAt: null,
  expiresAt: now + 90 * DAY,
  revokedAt: null,
  revokedReason: null,
  ...over,
});
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.apiTokens.list': [
      token({}),
      token({ id: 'tok2', name: 'forever', expiresAt: null, lastUsedAt: now - 60_000 }),
      token({ id: 'tok3', name: 'old', revokedAt: now, revokedReason: 'creator_demoted' }),
    ],
    'api.apiTokens.create': (r) => ({ ...token({ id: 'new' }), token: 'odk_new.secret', name: r.body.name }),
    'api.apiTokens.revoke': null,
  });
  bridge.install();
  useAdmin.setState(useAdmin.getInitialState());
});
afterEach(cleanup);

describe('API tokens tab', () => {
  it('shows each token’s expiry and last use, warns on one that never expires, and why one was revoked', async () => {
    render(<TokensTab />);
    const rows = await screen.findAllByRole('row');
    const text = (name: string) => rows.find((r) => r.textContent?.includes(name))!.textContent!;
    expect(text('prometheus')).toContain('Never used');
    expect(text('forever')).toContain('Never expires');
    expect(text('old')).toContain('Revoked: creator demoted');
    expect(screen.getByRole('columnheader', { name: 'Expires' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Last used' })).toBeTruthy();
  });

  it('creates a token with the 90-day default; "never" only when chosen, with a warning', async () => {
    render(<TokensTab />);
    await screen.findAllByRole('row');
    const lifetime = screen.getByLabelText('Lifetime') as HTMLSelectElement;
    expect(lifetime.value).toBe('90');
    fireEvent.change(screen.getByLabelText('Token name'), { target: { value: 'ci' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create token' })));
    expect(bridge.requests('api.apiTokens.create')).toEqual([{ body: { name: 'ci', scopes: ['read'], expiresInDays: 90 } }]);

    fireEvent.change(lifetime, { target: { value: 'never' } });
    expect(screen.getByRole('alert').textContent).toMatch(/never expires/i);
    fireEvent.change(screen.getByLabelText('Token name'), { target: { value: 'forever' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Create token' })));
    expect(bridge.requests('api.apiTokens.create')[1]).toEqual({ body: { name: 'forever', scopes: ['read'], expiresInDays: 'never' } });
  });

  it('asks before revoking a token', async () => {
    render(<TokensTab />);
    const rows = await screen.findAllByRole('row');
    const row = rows.find((r) => r.textContent?.includes('prometheus'))!;
    fireEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    const dialog = screen.getByRole('dialog');
    expect(bridge.requests('api.apiTokens.revoke')).toEqual([]);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke token' })));
    expect(bridge.requests('api.apiTokens.revoke')).toEqual([{ params: { id: 'tok1' } }]);
  });
});
