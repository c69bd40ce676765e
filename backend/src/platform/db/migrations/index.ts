import type { Migration } from 'kysely';
import type { DialectName } from '../dialect';
import { core } from './0001_core';
import { changeFeed } from './0002_change_feed';
import { helpdesk } from './0010_helpdesk';
import { operations } from './0030_operations';
import { monitoring } from './0020_monitoring';
import { alertsOpenOrder } from './0021_alerts_open_order';
import { alertPendingAndDeliveryAttempts } from './0022_alert_pending_and_delivery_attempts';
import { alertsListIndexes } from './0023_alerts_list_indexes';
import { apiTokenRevocation } from './0031_api_token_revocation';
import { oncall } from './0040_oncall';
import { escalationPolicies } from './0041_escalation_policies';
import { serverSecrets } from './0045_server_secrets';
import { leadership } from './0046_leadership';
import { helpdeskEmail } from './0050_helpdesk_email';
import { probes } from './0060_probes';
import { attachments } from './0070_attachments';
import { cannedReplies } from './0071_canned_replies';
import { refreshGrace } from './0080_refresh_grace';
import { notifyRouting } from './0081_notify_routing';
import { alertEndsAt } from './0082_alert_ends_at';
import { scrapeTargets } from './0090_scrape_targets';
import { ruleAggregation } from './0091_rule_aggregation';
import { serviceState } from './0100_service_state';
import { compaction } from './0110_compaction';
import { procedureWorkflow } from './0120_procedure_workflow';
import { sharedViews } from './0130_shared_views';
import { businessCalendars } from './0131_business_calendars';
import { slaWarnings } from './0132_sla_warnings';
import { contactMethods } from './0140_contact_methods';
import { preferenceAddresses } from './0141_preference_addresses';
import { reportSchedules } from './0150_report_schedules';
import { alertsFingerprintIndex } from './0180_alerts_fingerprint_index';
import { slaWatchIndexes } from './0200_sla_watch_indexes';
import { mailIndexes } from './0220_mail_indexes';
import { deliveryFallbackIndex } from './0230_delivery_fallback_index';

export interface MigrationContext {
  dialect: DialectName;
}

/**
 * Every schema change, in order. Names sort lexically; a migration is never edited after it
 * ships, a new one is added instead. Each runs in a transaction on both dialects.
 */
export function allMigrations(ctx: MigrationContext): Record<string, Migration> {
  return {
    '0001_core': core(ctx),
    '0002_change_feed': changeFeed(ctx),
    '0010_helpdesk': helpdesk(ctx),
    '0030_operations': operations(ctx),
    '0020_monitoring': monitoring(ctx),
    '0021_alerts_open_order': alertsOpenOrder(ctx),
    '0022_alert_pending_and_delivery_attempts': alertPendingAndDeliveryAttempts(ctx),
    '0023_alerts_list_indexes': alertsListIndexes(ctx),
    '0031_api_token_revocation': apiTokenRevocation(ctx),
    '0040_oncall': oncall(ctx),
    '0041_escalation_policies': escalationPolicies(ctx),
    '0045_server_secrets': serverSecrets(ctx),
    '0046_leadership': leadership(ctx),
    '0050_helpdesk_email': helpdeskEmail(ctx),
    '0060_probes': probes(ctx),
    '0070_attachments': attachments(ctx),
    '0071_canned_replies': cannedReplies(ctx),
    '0080_refresh_grace': refreshGrace(ctx),
    '0081_notify_routing': notifyRouting(ctx),
    '0082_alert_ends_at': alertEndsAt(ctx),
    '0090_scrape_targets': scrapeTargets(ctx),
    '0091_rule_aggregation': ruleAggregation(ctx),
    '0100_service_state': serviceState(ctx),
    '0110_compaction': compaction(ctx),
    '0120_procedure_workflow': procedureWorkflow(ctx),
    '0130_shared_views': sharedViews(ctx),
    '0131_business_calendars': businessCalendars(ctx),
    '0132_sla_warnings': slaWarnings(ctx),
    '0140_contact_methods': contactMethods(ctx),
    '0141_preference_addresses': preferenceAddresses(ctx),
    '0150_report_schedules': reportSchedules(ctx),
    '0180_alerts_fingerprint_index': alertsFingerprintIndex(ctx),
    '0200_sla_watch_indexes': slaWatchIndexes(),
    '0220_mail_indexes': mailIndexes(),
    '0230_delivery_fallback_index': deliveryFallbackIndex(),
  };
}
