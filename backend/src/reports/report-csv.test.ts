import { describe, expect, it } from 'vitest';
import type { Report } from '../../../shared/api/reports';
import { reportToCsv } from './report-format';

const report = (patch: Partial<Report> = {}): Report =>
  ({
    type: 'daily', from: 0, to: 86_400_000,
    alerts: { total: 1, acknowledged: 1, resolved: 1, mttaSeconds: 60, mttrSeconds: -1, bySeverity: { high: 1 }, bySource: { generic: 1 } },
    incidents: { total: 0, responseBreaches: 0, mttrSeconds: null, bySeverity: {}, byState: {} },
    uptime: [],
    tickets: { available: true, note: null, created: 0, resolved: 0, slaCompliancePercent: null },
    ...patch,
  }) as Report;

describe('report CSV', () => {
  it('escapes spreadsheet formulas in text cells (=, +, -, @, tab, CR), never numbers', () => {
    const checks = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2', '@SUM(A1)', '\tx'];
    const csv = reportToCsv(report({ uptime: checks.map((check, i) => ({ check, percent: i === 0 ? 99 : 1, samples: 10 })) }));
    const lines = csv.trim().split('\n');
    expect(lines).toContain(`uptime_percent,"'=HYPERLINK(""http://evil.example"",""x"")",99`);
    expect(lines).toContain("uptime_percent,'+1+1,1");
    expect(lines).toContain("uptime_percent,'-2,1");
    expect(lines).toContain("uptime_percent,'@SUM(A1),1");
    expect(lines).toContain("uptime_percent,'\tx,1");
    // A negative number stays a number.
    expect(lines).toContain('alerts,mttr_seconds,-1');
  });
});
