// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnumSelect } from './EnumSelect';

const PRIORITIES = ['low', 'medium', 'high'] as const;

afterEach(cleanup);

describe('EnumSelect', () => {
  it('offers each value, labelled in title case by default, and reports the chosen one', () => {
    const onChange = vi.fn();
    render(<EnumSelect aria-label="Priority" values={PRIORITIES} value="medium" onChange={onChange} />);
    const select = screen.getByLabelText('Priority') as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['low', 'Low'],
      ['medium', 'Medium'],
      ['high', 'High'],
    ]);
    expect(select.value).toBe('medium');
    fireEvent.change(select, { target: { value: 'high' } });
    expect(onChange).toHaveBeenCalledWith('high');
  });

  it('puts the empty option first; choosing it calls onEmpty, not onChange', () => {
    const onChange = vi.fn();
    const onEmpty = vi.fn();
    render(
      <EnumSelect
        aria-label="Priority"
        values={PRIORITIES}
        value="low"
        empty="Any"
        label={(p) => p.toUpperCase()}
        onChange={onChange}
        onEmpty={onEmpty}
      />,
    );
    const select = screen.getByLabelText('Priority') as HTMLSelectElement;
    expect(select.options[0]!.value).toBe('');
    expect(select.options[0]!.textContent).toBe('Any');
    expect(select.options[1]!.textContent).toBe('LOW');
    fireEvent.change(select, { target: { value: '' } });
    expect(onEmpty).toHaveBeenCalledOnce();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('passes select attributes through (disabled)', () => {
    render(
      <EnumSelect
        aria-label="Status"
        disabled
        values={PRIORITIES}
        value=""
        empty="…"
        onChange={() => undefined}
      />,
    );
    expect((screen.getByLabelText('Status') as HTMLSelectElement).disabled).toBe(true);
  });
});
