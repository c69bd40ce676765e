import { useState } from 'react';
import type { ServiceStatus } from '../../../../shared/ipc';
import { ConfirmDestructive, FormDialog } from '../../ui/Dialog';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { restartService, scaleService } from './slice';

const started = (status: string) =>
  toast(status === 'awaiting_approval' ? 'Requested: waiting for an admin to approve' : 'Job started', 'ok');

/** Restart is not destructive, but it interrupts every replica: the operator confirms once. */
export function RestartDialog({ service, onClose }: { service: ServiceStatus; onClose: () => void }) {
  const a = useAction();
  return (
    <FormDialog
      title={`Restart ${service.name}?`}
      onClose={onClose}
      busy={a.busy}
      error={a.error}
      submit="Restart"
      onSubmit={() =>
        void a.run(async () => {
          started((await restartService(service.name)).status);
          onClose();
        })
      }
    >
      <p>
        Each of the {service.replicas.length} replica(s) is stopped gracefully and started again
        {service.driver === 'docker' && ' as a new container'}
        {service.driver === 'kubernetes' && ' by a rolling restart of the deployment'}; the job waits until
        the service is healthy.
      </p>
    </FormDialog>
  );
}

const SCALE_HINT: Record<string, string> = {
  docker: "; new replicas copy the service's definition, the newest go first",
  kubernetes: '; through the scale subresource, then the rollout is awaited',
  process: '; new processes from the declared command, the newest stopped first',
};

/** Scale within the service's maximum; 0 stops the service and asks for the typed confirmation. */
export function ScaleDialog({ service, onClose }: { service: ServiceStatus; onClose: () => void }) {
  const [value, setValue] = useState(String(service.desiredReplicas));
  const [confirmZero, setConfirmZero] = useState(false);
  const a = useAction();
  const n = Number(value);
  const error =
    value.trim() === '' || !Number.isInteger(n) || n < 0
      ? 'A whole number of replicas, 0 or more'
      : n > service.maxReplicas
        ? `${service.name} can run at most ${service.maxReplicas} replicas`
        : null;
  const submit = async (confirmation?: string) => {
    started((await scaleService(service.name, n, confirmation)).status);
    onClose();
  };
  if (confirmZero)
    return (
      <ConfirmDestructive
        title={`Stop ${service.name}?`}
        target="scale-service"
        description={
          <>
            Scaling <strong>{service.name}</strong> to 0 stops every replica: the service is down until it is
            scaled up again.
          </>
        }
        action="Scale to 0"
        onConfirm={(typed) => submit(typed)}
        onClose={() => setConfirmZero(false)}
      />
    );
  return (
    <FormDialog
      title={`Scale ${service.name}`}
      onClose={onClose}
      busy={a.busy}
      error={a.error}
      submit={n === 0 ? 'Continue…' : 'Scale'}
      onSubmit={() => {
        if (error) return;
        if (n === 0) setConfirmZero(true);
        else void a.run(() => submit());
      }}
    >
      <label htmlFor="scale-replicas">
        Replicas (now {service.desiredReplicas} desired, {service.replicas.length} present)
        <input
          id="scale-replicas"
          type="number"
          min={0}
          max={service.maxReplicas}
          value={value}
          autoFocus
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={!!error}
          aria-describedby="scale-replicas-msg"
        />
        <span id="scale-replicas-msg" className={error ? 'field-error' : 'field-hint'}>
          {error ?? `0 to ${service.maxReplicas}${SCALE_HINT[service.driver] ?? ''}`}
        </span>
      </label>
    </FormDialog>
  );
}
