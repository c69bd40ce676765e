import { Tabs } from '../../ui/Tabs';
import { AuditTab } from './AuditTab';
import { CalendarsTab } from './CalendarsTab';
import { RulesTab } from './AlertingTabs';
import { ChannelsTab } from './ChannelsTab';
import { MailboxesTab } from './MailboxesTab';
import { QueuesTab } from './QueuesTab';
import { SlaTab } from './SlaTab';
import { TokensTab } from './TokensTab';
import { UpdatesTab } from './UpdatesTab';
import { UsersTab } from './UsersTab';

const TABS = ['Users', 'Queues', 'Mailboxes', 'SLA policy', 'Business hours', 'Alert rules', 'Channels', 'API tokens', 'Updates', 'Audit log'] as const;
type Tab = (typeof TABS)[number];

const PANELS: Record<Tab, () => React.JSX.Element> = {
  Users: UsersTab,
  Queues: QueuesTab,
  Mailboxes: MailboxesTab,
  'SLA policy': SlaTab,
  'Business hours': CalendarsTab,
  'Alert rules': RulesTab,
  Channels: ChannelsTab,
  'API tokens': TokensTab,
  Updates: UpdatesTab,
  'Audit log': AuditTab,
};

export default function Admin() {
  return (
    <section aria-labelledby="adm-title">
      <h1 id="adm-title">Admin</h1>
      <Tabs
        label="Admin sections"
        tabs={TABS}
        panel={(tab) => {
          const Panel = PANELS[tab];
          return <Panel />;
        }}
      />
    </section>
  );
}
