// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestBridge } from '../../test-support/fake-bridge';
import { useUi } from '../shell/ui';
import { CommandPalette } from './CommandPalette';

beforeEach(() => {
  new TestBridge({}).install();
  useUi.setState({ paletteOpen: true, route: { screen: 'queues' } });
});
afterEach(cleanup);

describe('command palette widget', () => {
  it('filters as one types; arrows move the selection and Enter runs it, closing the palette', async () => {
    render(<CommandPalette />);
    const input = screen.getByRole('combobox');
    fireEvent.change(input, { target: { value: 'go to' } });
    const options = screen.getAllByRole('option');
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    const second = screen.getAllByRole('option')[1]!;
    expect(second.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(second.id);
    await act(async () => fireEvent.keyDown(input, { key: 'Enter' }));
    expect(useUi.getState().paletteOpen).toBe(false);
    expect(useUi.getState().route).toEqual({ screen: 'alerts' });
  });

  it('says so when nothing matches, and a number opens that ticket', async () => {
    render(<CommandPalette />);
    const input = screen.getByRole('combobox');
    fireEvent.change(input, { target: { value: 'zzzz qqqq' } });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Search tickets for “zzzz qqqq”Queues',
    ]);
    fireEvent.change(input, { target: { value: '#42' } });
    await act(async () => fireEvent.keyDown(input, { key: 'Enter' }));
    expect(useUi.getState().route).toEqual({ screen: 'ticket', id: '42' });
  });
});
