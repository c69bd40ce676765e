import type { CliCommand } from '../cli/command';
import { CliUsageError } from '../cli/command';
import { withServices } from '../cli/with-services';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import { UpdateChannel, UpdatePlatform } from '../../../shared/domain/updates';
import { publishedAudit } from './update-feed';

/** `publish-update FILES --channel C --version V [--platform P] [--rollout PCT] [--notes TEXT]`. */
export const publishUpdateCommand: CliCommand = {
  name: 'publish-update',
  summary: 'Publish installers to a desktop update channel (staged with --rollout)',
  usage: 'publish-update FILES… --channel stable|beta --version V [--platform windows|mac|linux] [--rollout PCT] [--notes TEXT]',
  positionals: true,
  options: { channel: { type: 'string' }, version: { type: 'string' }, platform: { type: 'string' }, rollout: { type: 'string' }, notes: { type: 'string' } },
  async run({ config, values, positionals, out }) {
    const channel = UpdateChannel.safeParse(values.channel);
    if (!channel.success) throw new CliUsageError('--channel must be stable or beta');
    if (typeof values.version !== 'string') throw new CliUsageError('--version is required');
    const platform = values.platform === undefined ? undefined : UpdatePlatform.safeParse(values.platform);
    if (platform && !platform.success) throw new CliUsageError('--platform must be windows, mac or linux');
    const rollout = values.rollout === undefined ? undefined : Number(values.rollout);
    if (rollout !== undefined && !(Number.isInteger(rollout) && rollout >= 0 && rollout <= 100)) throw new CliUsageError('--rollout is a whole percentage from 0 to 100');
    if (positionals.length === 0) throw new CliUsageError('Name the installer files to publish');
    return withServices(config, async (s) => {
      const release = await s.updates.publish({
        channel: channel.data,
        version: values.version as string,
        platform: platform?.data,
        files: positionals,
        rollout,
        notes: typeof values.notes === 'string' ? values.notes : undefined,
      });
      await s.audit.record(SYSTEM_ACTOR, publishedAudit(release));
      out(`Published ${release.version} for ${release.platform} on ${release.channel} to ${release.rolloutPercentage}% of installs:`);
      for (const f of release.files) out(`  ${f.name}  ${f.size} bytes  sha512 ${f.sha512}`);
      return 0;
    });
  },
};
