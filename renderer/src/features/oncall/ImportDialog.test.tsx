// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../../../../shared/api/oncall';
import { TestBridge } from '../../test-support/fake-bridge';
import { ImportDialog } from './ImportDialog';
import { useOncall } from './slice';

const schedule: Schedule = {
  id: 's1',
  name: 'Ops',
  timeZone: 'UTC',
  description: '',
  rotations: [],
  overrides: [],
  createdAt: 0,
  updatedAt: 0,
};
let bridge: TestBridge;

beforeEach(() => {
  bridge = new TestBridge({
    'api.oncall.schedules.import': {
      created: 1,
      as: 'layer',
      skipped: [{ uid: 'g-2', reason: 'no OpsDesk user matches "zoe"' }],
    },
    'api.oncall.schedules.list': [],
    'api.oncall.now': [],
  });
  bridge.install();
  useOncall.setState(useOncall.getInitialState());
});
afterEach(cleanup);

describe('importing an exported calendar', () => {
  it('asks for a file first, then sends its text as a layer and lists what was skipped', async () => {
    render(<ImportDialog schedule={schedule} onClose={() => undefined} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Import' })));
    expect(screen.getByText('Choose an .ics file')).toBeTruthy();
    const ics = 'BEGIN:VCALENDAR\r\nEND:VCALENDAR';
    fireEvent.change(screen.getByLabelText(/Calendar file/), {
      target: { files: [new File([ics], 'export.ics', { type: 'text/calendar' })] },
    });
    fireEvent.click(screen.getByLabelText(/fixed shifts of a layer/));
    fireEvent.change(screen.getByLabelText('Layer'), { target: { value: '2' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Import' })));
    expect(bridge.requests('api.oncall.schedules.import')).toEqual([
      { params: { id: 's1' }, body: { ics, as: 'layer', layer: 2 } },
    ]);
    expect((await screen.findByRole('status')).textContent).toContain(
      'Imported 1 shift as layer 2.Skipped g-2: no OpsDesk user matches "zoe"',
    );
  });
});
