import type { MttRow, OpsReport, Report } from '../../../shared/api/reports';

type Cell = string | number | null;

/**
 * One CSV cell. A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
 * first) gets a leading apostrophe; numbers stay numbers; quotes, commas and line breaks are quoted.
 */
export function csvCell(v: Cell): string {
  if (v === null) return '';
  const text = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const csv = (rows: Cell[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

/** Text for HTML element content and attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '—').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const STYLE = 'body{font-family:sans-serif;margin:2em;color:#1d2430}table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}td.n{text-align:right}';
const page = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>\n<style>${STYLE}</style></head><body>\n${body}\n</body></html>\n`;

export function reportToCsv(r: Report): string {
  const rows: Cell[][] = [['section', 'key', 'value']];
  rows.push(['period', 'type', r.type], ['period', 'from', new Date(r.from).toISOString()], ['period', 'to', new Date(r.to).toISOString()]);
  rows.push(['alerts', 'total', r.alerts.total], ['alerts', 'acknowledged', r.alerts.acknowledged], ['alerts', 'resolved', r.alerts.resolved]);
  rows.push(['alerts', 'mtta_seconds', r.alerts.mttaSeconds], ['alerts', 'mttr_seconds', r.alerts.mttrSeconds]);
  for (const [k, v] of Object.entries(r.alerts.bySeverity)) rows.push(['alerts_by_severity', k, v]);
  for (const [k, v] of Object.entries(r.alerts.bySource)) rows.push(['alerts_by_source', k, v]);
  rows.push(['incidents', 'total', r.incidents.total], ['incidents', 'response_breaches', r.incidents.responseBreaches], ['incidents', 'mttr_seconds', r.incidents.mttrSeconds]);
  for (const [k, v] of Object.entries(r.incidents.bySeverity)) rows.push(['incidents_by_severity', k, v]);
  for (const [k, v] of Object.entries(r.incidents.byState)) rows.push(['incidents_by_state', k, v]);
  for (const u of r.uptime) rows.push(['uptime_percent', u.check, u.percent]);
  rows.push(['tickets', 'available', String(r.tickets.available)], ['tickets', 'created', r.tickets.created], ['tickets', 'resolved', r.tickets.resolved], ['tickets', 'sla_compliance_percent', r.tickets.slaCompliancePercent]);
  return csv(rows);
}

export function reportToHtml(r: Report): string {
  const table = (title: string, rows: [string, unknown][]) =>
    `<h2>${escapeHtml(title)}</h2><table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
  return page(`OpsDesk ${r.type} report`, `<h1>OpsDesk ${escapeHtml(r.type)} report</h1><p>${escapeHtml(new Date(r.from).toISOString())} – ${escapeHtml(new Date(r.to).toISOString())}</p>
${table('Alerts', [['Total', r.alerts.total], ['Acknowledged', r.alerts.acknowledged], ['Resolved', r.alerts.resolved], ['MTTA (s)', r.alerts.mttaSeconds], ['MTTR (s)', r.alerts.mttrSeconds]])}
${table('Alerts by severity', Object.entries(r.alerts.bySeverity))}
${table('Alerts by source', Object.entries(r.alerts.bySource))}
${table('Incidents', [['Total', r.incidents.total], ['Response breaches', r.incidents.responseBreaches], ['MTTR (s)', r.incidents.mttrSeconds], ...Object.entries(r.incidents.bySeverity).map(([k, v]) => [`Severity ${k}`, v] as [string, unknown])])}
${table('Uptime of health checks (%)', r.uptime.map((u) => [u.check, u.percent]))}
${table('Tickets', [['Created', r.tickets.created], ['Resolved', r.tickets.resolved], ['SLA compliance (%)', r.tickets.slaCompliancePercent], ['Note', r.tickets.note]])}`);
}

/** The sections of an operations report as header + rows: one source for the CSV, the HTML and the email. */
export function opsSections(r: OpsReport): { title: string; key: string; header: string[]; rows: Cell[][] }[] {
  const mtt = (title: string, key: string, rows: MttRow[]) => ({ title, key, header: ['group', 'alerts', 'acknowledged', 'resolved', 'mtta_seconds', 'mttr_seconds'], rows: rows.map((m) => [m.label, m.alerts, m.acknowledged, m.resolved, m.mttaSeconds, m.mttrSeconds]) });
  return [
    mtt('All alerts', 'summary', [r.summary]),
    mtt('MTTA / MTTR by severity', 'by_severity', r.bySeverity),
    mtt('MTTA / MTTR by escalation policy', 'by_policy', r.byPolicy),
    mtt('MTTA / MTTR by schedule', 'by_schedule', r.bySchedule),
    mtt('Most frequent alerts', 'top_alerts', r.topAlerts),
    { title: 'Alert volume by source', key: 'by_source', header: ['source', 'alerts'], rows: r.bySource.map((s) => [s.source, s.alerts]) },
    { title: 'Per day', key: 'per_day', header: ['day', 'alerts', 'pages'], rows: r.perDay.map((d) => [d.day, d.alerts, d.pages]) },
    { title: 'Pages per person (on-call load)', key: 'pages_per_person', header: ['person', 'email', 'pages', 'alerts', 'notifications', 'acknowledged'], rows: r.pagesPerPerson.map((p) => [p.name, p.email, p.pages, p.alerts, p.notifications, p.acknowledged]) },
    { title: 'SLA compliance per queue', key: 'sla_by_queue', header: ['queue', 'created', 'resolved', 'met', 'breached', 'compliance_percent'], rows: r.slaByQueue.map((q) => [q.queue, q.created, q.resolved, q.met, q.breached, q.compliancePercent]) },
  ];
}

/** One CSV file: a `section` column in front of each section's own header and rows. */
export function opsReportToCsv(r: OpsReport): string {
  const rows: Cell[][] = [['report', 'range', r.label], ['report', 'time_zone', r.timeZone], ['report', 'from', new Date(r.from).toISOString()], ['report', 'to', new Date(r.to).toISOString()]];
  for (const s of opsSections(r)) rows.push([], [s.key, ...s.header], ...s.rows.map((row) => [s.key, ...row]));
  return csv(rows);
}

/** A standalone HTML page (also the scheduled email's body): every text escaped, numbers right-aligned. */
export function opsReportToHtml(r: OpsReport): string {
  const td = (v: Cell) => (typeof v === 'number' ? `<td class="n">${v}</td>` : `<td>${escapeHtml(v)}</td>`);
  const sections = opsSections(r).map((s) =>
    s.rows.length
      ? `<h2>${escapeHtml(s.title)}</h2><table><tr>${s.header.map((h) => `<th>${escapeHtml(h.replace(/_/g, ' '))}</th>`).join('')}</tr>${s.rows.map((row) => `<tr>${row.map(td).join('')}</tr>`).join('')}</table>`
      : `<h2>${escapeHtml(s.title)}</h2><p>Nothing in this range.</p>`,
  );
  const title = `OpsDesk ${r.period} report: ${r.label}`;
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(r.timeZone)} · generated ${escapeHtml(new Date(r.generatedAt).toISOString())}</p>\n${sections.join('\n')}`);
}
