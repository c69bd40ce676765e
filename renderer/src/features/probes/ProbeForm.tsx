import { useState } from 'react';
import {
  AUTH_TYPES,
  CreateProbeRequest,
  DNS_RECORD_TYPES,
  HTTP_METHODS,
  PROBE_KINDS,
  type Probe,
  type ProbeKind,
} from '../../../../shared/api/probes';
import { SEVERITIES } from '../../../../shared/domain/alerts';
import { EnumSelect } from '../../ui/EnumSelect';
import { ErrorBox } from '../../ui/feedback';
import { Checkbox, FormActions, TextField } from '../../ui/form';
import { useAction } from '../../ui/hooks';
import { toast } from '../../ui/toasts';
import { navigate } from '../shell/ui';
import { fieldErrors, formatHeaders, parseHeaders, saveProbe } from './slice';

const TARGET: Record<ProbeKind, { label: string; placeholder: string }> = {
  http: { label: 'URL', placeholder: 'https://status.example.com/health' },
  tcp: { label: 'Host and port', placeholder: 'db.internal:5432' },
  tls: { label: 'Host and port', placeholder: 'example.com:443' },
  dns: { label: 'Name to resolve', placeholder: 'api.example.com' },
};

type Draft = ReturnType<typeof draftOf>;

function draftOf(p: Probe | null) {
  return {
    name: p?.name ?? '',
    kind: p?.kind ?? ('http' as ProbeKind),
    target: p?.target ?? '',
    intervalSeconds: String(p?.intervalSeconds ?? 60),
    timeoutSeconds: String(p?.timeoutSeconds ?? 10),
    retries: String(p?.retries ?? 0),
    forSeconds: String(p?.forSeconds ?? 0),
    severity: p?.severity ?? 'high',
    method: p?.method ?? 'GET',
    expectedStatus: p?.expectedStatus ?? '200-299',
    keyword: p?.keyword ?? '',
    keywordMode: p?.keywordMode ?? 'present',
    followRedirects: p?.followRedirects ?? true,
    headers: formatHeaders(p?.headers ?? {}),
    authType: p?.authType ?? 'none',
    authUsername: p?.authUsername ?? '',
    secret: '',
    serverName: p?.serverName ?? '',
    caPem: p?.caPem ?? '',
    warningDays: String(p?.warningDays ?? 30),
    criticalDays: String(p?.criticalDays ?? 7),
    recordType: p?.recordType ?? 'A',
    expectedAnswer: p?.expectedAnswer ?? '',
    dnsServer: p?.dnsServer ?? '',
  };
}

const num = (v: string) => (v.trim() === '' ? NaN : Number(v));
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

function requestOf(d: Draft, headers: Record<string, string>): CreateProbeRequest {
  return {
    name: d.name,
    kind: d.kind,
    target: d.target,
    intervalSeconds: num(d.intervalSeconds),
    timeoutSeconds: num(d.timeoutSeconds),
    retries: num(d.retries),
    forSeconds: num(d.forSeconds),
    severity: d.severity,
    method: d.method,
    expectedStatus: d.expectedStatus,
    keyword: orNull(d.keyword),
    keywordMode: d.keywordMode,
    followRedirects: d.followRedirects,
    headers,
    authType: d.authType,
    authUsername: orNull(d.authUsername),
    serverName: orNull(d.serverName),
    caPem: orNull(d.caPem),
    warningDays: num(d.warningDays),
    criticalDays: num(d.criticalDays),
    recordType: d.recordType,
    expectedAnswer: orNull(d.expectedAnswer),
    dnsServer: orNull(d.dnsServer),
    ...(d.secret && { secret: d.secret }),
  };
}

/** Checks the draft with the API's own schema, so most mistakes show before a round trip. */
function localErrors(body: CreateProbeRequest, secretStored: boolean): Record<string, string> {
  const r = CreateProbeRequest.safeParse(secretStored && !body.secret ? { ...body, secret: 'stored' } : body);
  const out: Record<string, string> = {};
  if (!r.success) for (const i of r.error.issues) out[String(i.path[0] ?? 'form')] ??= i.message;
  return out;
}

export function ProbeForm({ probe }: { probe: Probe | null }) {
  const [d, setD] = useState(() => draftOf(probe));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const a = useAction();
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) => {
      setD((x) => ({ ...x, [k]: v }));
      // An edited field's error goes until the next submit checks it again.
      setErrors((e) => (k in e ? Object.fromEntries(Object.entries(e).filter(([f]) => f !== k)) : e));
    };
  const field = (k: keyof Draft & string, label: string, extra: Record<string, unknown> = {}) => (
    <TextField
      label={label}
      value={String(d[k])}
      onChange={set(k) as (v: string) => void}
      error={errors[k] ?? null}
      {...extra}
    />
  );
  const https = d.kind === 'tls' || (d.kind === 'http' && d.target.startsWith('https:'));
  const submit = () => {
    const parsed = parseHeaders(d.headers);
    const body = requestOf(d, parsed.headers);
    const local = localErrors(body, !!probe?.secretSet && probe.authType === d.authType);
    if (parsed.error) local.headers = parsed.error;
    setErrors(local);
    if (Object.keys(local).length) return;
    void a.run(async () => {
      try {
        const saved = await saveProbe(probe?.id ?? null, body);
        toast(probe ? `Probe “${saved.name}” saved` : `Probe “${saved.name}” added`, 'ok');
        navigate({ screen: 'probes' });
      } catch (e) {
        setErrors(fieldErrors(e));
        throw e;
      }
    });
  };
  return (
    <section aria-labelledby="probe-form-title">
      <h1 id="probe-form-title">{probe ? `Edit probe “${probe.name}”` : 'Add probe'}</h1>
      <form
        className="form"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          submit();
        }}
      >
        <div className="row">
          {field('name', 'Name', { maxLength: 100, autoFocus: true })}
          <label>
            Kind
            <EnumSelect
              values={PROBE_KINDS}
              value={d.kind}
              onChange={set('kind')}
              label={(k) => k.toUpperCase()}
            />
          </label>
        </div>
        {field('target', TARGET[d.kind].label, {
          placeholder: TARGET[d.kind].placeholder,
          className: 'mono',
        })}
        <div className="row">
          {field('intervalSeconds', 'Interval (s)', { inputMode: 'numeric' })}
          {field('timeoutSeconds', 'Timeout (s)', { inputMode: 'decimal' })}
          {field('retries', 'Retries before down', { inputMode: 'numeric' })}
          {field('forSeconds', 'Down for (s) before alerting', { inputMode: 'numeric' })}
          <label>
            Severity
            <EnumSelect values={SEVERITIES} value={d.severity} onChange={set('severity')} />
          </label>
        </div>
        {d.kind === 'http' && (
          <fieldset>
            <legend>HTTP</legend>
            <div className="row">
              <label>
                Method
                <EnumSelect
                  values={HTTP_METHODS}
                  value={d.method}
                  onChange={set('method')}
                  label={(m) => m}
                />
              </label>
              {field('expectedStatus', 'Expected status', {
                hint: 'e.g. 200-299 or 200,204',
                className: 'mono',
              })}
              {field('keyword', 'Keyword')}
              <label>
                Keyword must be
                <EnumSelect
                  values={['present', 'absent'] as const}
                  value={d.keywordMode}
                  onChange={set('keywordMode')}
                />
              </label>
            </div>
            <Checkbox checked={d.followRedirects} onChange={set('followRedirects')}>
              Follow redirects
            </Checkbox>
            <label>
              Headers (one “Name: value” a line)
              <textarea
                className="mono"
                value={d.headers}
                onChange={(ev) => set('headers')(ev.target.value)}
                aria-invalid={!!errors.headers}
              />
              {errors.headers && <span className="field-error">{errors.headers}</span>}
            </label>
            <div className="row">
              <label>
                Authentication
                <EnumSelect values={AUTH_TYPES} value={d.authType} onChange={set('authType')} />
              </label>
              {d.authType === 'basic' && field('authUsername', 'User name', { autoComplete: 'off' })}
              {d.authType !== 'none' &&
                field('secret', d.authType === 'basic' ? 'Password' : 'Token', {
                  type: 'password',
                  autoComplete: 'new-password',
                  placeholder: probe?.secretSet ? 'stored; leave empty to keep' : '',
                  hint: 'Stored encrypted; never shown again.',
                })}
            </div>
          </fieldset>
        )}
        {https && (
          <fieldset>
            <legend>TLS certificate</legend>
            <div className="row">
              {d.kind === 'tls' && field('serverName', 'Server name (default: the host)')}
              {field('warningDays', 'Warn under (days)', { inputMode: 'numeric' })}
              {field('criticalDays', 'Critical under (days)', { inputMode: 'numeric' })}
            </div>
            <label>
              Extra trusted CA (PEM, for a private CA)
              <textarea
                className="mono"
                value={d.caPem}
                onChange={(ev) => set('caPem')(ev.target.value)}
                aria-invalid={!!errors.caPem}
              />
              {errors.caPem && <span className="field-error">{errors.caPem}</span>}
            </label>
          </fieldset>
        )}
        {d.kind === 'dns' && (
          <fieldset>
            <legend>DNS</legend>
            <div className="row">
              <label>
                Record type
                <EnumSelect
                  values={DNS_RECORD_TYPES}
                  value={d.recordType}
                  onChange={set('recordType')}
                  label={(t) => t}
                />
              </label>
              {field('expectedAnswer', 'Expected answer (empty: any)')}
              {field('dnsServer', 'DNS server (empty: the system’s)', {
                placeholder: '10.0.0.53:53',
                className: 'mono',
              })}
            </div>
          </fieldset>
        )}
        <ErrorBox error={a.error} />
        <FormActions
          onCancel={() => navigate({ screen: 'probes' })}
          busy={a.busy}
          submit={probe ? 'Save probe' : 'Add probe'}
        />
      </form>
    </section>
  );
}
