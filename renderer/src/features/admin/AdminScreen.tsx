import { useState } from 'react';
import { AuditTab } from './AuditTab';
import { ChannelsTab, RulesTab } from './AlertingTabs';
import { MailboxesTab } from './MailboxesTab';
import { QueuesTab } from './QueuesTab';
import { SlaTab } from './SlaTab';
import { TokensTab } from './TokensTab';
import { UsersTab } from './UsersTab';

const TABS = ['Users', 'Queues', 'Mailboxes', 'SLA policy', 'Alert rules', 'Channels', 'API tokens', 'Audit log'] as const;
type Tab = (typeof TABS)[number];

const PANELS: Record<Tab, () => React.JSX.Element> = {
  Users: UsersTab,
  Queues: QueuesTab,
  Mailboxes: MailboxesTab,
  'SLA policy': SlaTab,
  'Alert rules': RulesTab,
  Channels: ChannelsTab,
  'API tokens': TokensTab,
  'Audit log': AuditTab,
};

export default function Admin() {
  const [tab, setTab] = useState<Tab>('Users');
  const Panel = PANELS[tab];
  return (
    <section aria-labelledby="adm-title">
      <h1 id="adm-title">Admin</h1>
      <div className="tabs" role="tablist" aria-label="Admin sections">
        {TABS.map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tab}>
        <Panel />
      </div>
    </section>
  );
}
