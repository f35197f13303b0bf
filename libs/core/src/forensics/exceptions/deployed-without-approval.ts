import { deployApprovals } from '../change-approvals';
import { str } from '../event-data';
import { needsDeployApproval } from '../governance-settings';
import { ExceptionRule } from './exception-rule';

// At `deployment.completed` to an environment that needs approval (settings
// `deployApprovalEnvironments`, default production): a change it carries has no standing
// independent approval at the `deploy` checkpoint.
export const deployedWithoutApproval: ExceptionRule = {
  id: 'deployed-without-approval',
  title: 'Deployed without approval',
  evaluate({ entry, changes, settings }) {
    if (entry.type !== 'deployment.completed') return [];
    const environment = str(entry.data, 'environment');
    if (!needsDeployApproval(settings, environment)) return [];
    return changes
      .filter((c) => deployApprovals(c).length === 0)
      .map((c) => ({
        rule: 'deployed-without-approval' as const,
        changeId: c.changeId,
        reason: `deployed to ${environment ?? 'an unnamed environment'} without an independent deploy approval`,
        details: { environment: environment ?? null, merged: c.merged !== undefined },
      }));
  },
};
