import { writeFileSync } from 'node:fs';
import { ReportFormat, ReportType } from '../../../shared/api/reports';
import { CliUsageError, type CliCommand } from '../cli/command';
import { withServices } from '../cli/with-services';
import { reportToCsv, reportToHtml } from './report-format';

/** The manual's `generate_report --type daily`, as `npm run cli -- generate-report --type daily|weekly`. */
export const generateReportCommand: CliCommand = {
  name: 'generate-report',
  summary: 'Alerts, MTTA/MTTR, incidents, uptime and tickets for the last day or week',
  usage: 'generate-report --type daily|weekly [--format json|csv|html] [--output FILE]',
  options: { type: { type: 'string', default: 'daily' }, format: { type: 'string', default: 'json' }, output: { type: 'string' } },
  async run({ config, values, out }) {
    const type = ReportType.safeParse(values.type);
    if (!type.success) throw new CliUsageError('--type must be daily or weekly');
    const format = ReportFormat.safeParse(values.format);
    if (!format.success) throw new CliUsageError('--format must be json, csv or html');
    return withServices(config, async (ctx) => {
      const report = await ctx.reports.generate(type.data);
      const text = format.data === 'csv' ? reportToCsv(report) : format.data === 'html' ? reportToHtml(report) : `${JSON.stringify(report, null, 2)}\n`;
      if (typeof values.output === 'string') {
        writeFileSync(values.output, text);
        out(`Wrote ${type.data} report to ${values.output}`);
      } else out(text.replace(/\n$/, ''));
      return 0;
    });
  },
};
