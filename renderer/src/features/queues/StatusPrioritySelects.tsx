import {
  PRIORITIES,
  TICKET_STATUSES,
  type Priority,
  type TicketStatus,
} from '../../../../shared/domain/tickets';
import { EnumSelect } from '../../ui/EnumSelect';

/** The Status and Priority selects of the queue's filter row and of the bulk bar; "" is the empty option. */
export function StatusPrioritySelects({
  status,
  priority,
  statusEmpty,
  priorityEmpty,
  onStatus,
  onPriority,
  disabled,
}: {
  status: TicketStatus | '';
  priority: Priority | '';
  statusEmpty: string;
  priorityEmpty: string;
  onStatus: (s: TicketStatus | undefined) => void;
  onPriority: (p: Priority | undefined) => void;
  disabled?: boolean;
}) {
  return (
    <>
      <label className="inline">
        Status
        <EnumSelect
          disabled={disabled}
          values={TICKET_STATUSES}
          value={status}
          empty={statusEmpty}
          onEmpty={() => onStatus(undefined)}
          onChange={onStatus}
        />
      </label>
      <label className="inline">
        Priority
        <EnumSelect
          disabled={disabled}
          values={PRIORITIES}
          value={priority}
          empty={priorityEmpty}
          onEmpty={() => onPriority(undefined)}
          onChange={onPriority}
        />
      </label>
    </>
  );
}
