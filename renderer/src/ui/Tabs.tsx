import { useState, type ReactNode } from 'react';

/** A row of tabs over one panel at a time; `initial` picks the first one shown. */
export function Tabs<T extends string>({
  label,
  tabs,
  initial,
  panel,
}: {
  label: string;
  tabs: readonly T[];
  initial?: T;
  panel: (tab: T) => ReactNode;
}) {
  const [tab, setTab] = useState<T>(initial ?? tabs[0]!);
  return (
    <>
      <div className="tabs" role="tablist" aria-label={label}>
        {tabs.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tab}>
        {panel(tab)}
      </div>
    </>
  );
}
