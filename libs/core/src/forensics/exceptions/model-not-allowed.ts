import { str } from '../event-data';
import { isModelAllowed } from '../governance-settings';
import { ExceptionRule } from './exception-rule';

// At `model.invocation.completed`: the tenant has a model allow-list and the exact
// provider / model / version called is not on it.
export const modelNotAllowed: ExceptionRule = {
  id: 'model-not-allowed',
  title: "Model not on the tenant's allow-list",
  evaluate({ entry, changes, settings }) {
    if (entry.type !== 'model.invocation.completed' || settings.allowedModels === undefined) return [];
    const provider = str(entry.data, 'provider') ?? '';
    const model = str(entry.data, 'model') ?? '';
    const version = str(entry.data, 'modelVersion') ?? '';
    if (isModelAllowed(settings, provider, model, version)) return [];
    const finding = {
      rule: 'model-not-allowed' as const,
      reason: `${provider}/${model}@${version} is not on the allow-list`,
      details: { provider, model, modelVersion: version, actor: entry.actor?.id ?? null },
    };
    return changes.length === 0 ? [finding] : changes.map((c) => ({ ...finding, changeId: c.changeId }));
  },
};
