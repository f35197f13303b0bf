import { ChangeState, obj, ProjectedEntry, str, SystemInventory } from '@evidence-ledger/core';

/**
 * Collects the AI inventory of a pack's population, entry by entry, for the report's system
 * description: the repositories worked in, the services and AI agents that acted, and the model
 * providers called (subservice organisations). Derived from the entries alone, so the verifier
 * derives the same description.
 */
export class InventoryFold {
  private readonly repositories = new Set<string>();
  private readonly services = new Set<string>();
  private readonly agents = new Map<string, Set<string>>();
  private readonly models = new Map<string, Map<string, Set<string>>>();

  /** Adds a population entry in scope, with the (scoped) changes it belongs to. */
  add(e: ProjectedEntry, changes: readonly ChangeState[]): void {
    for (const c of changes) if (c.repository !== undefined) this.repositories.add(c.repository);
    if (e.actor?.kind === 'service') this.services.add(e.actor.id);
    if (e.actor?.kind === 'agent') this.agent(e.actor.id);
    if (e.type === 'agent.task.requested') {
      const agent = obj(e.data, 'agent');
      const id = str(agent, 'id');
      if (id) this.agent(id, str(agent, 'version'));
    }
    if (e.type === 'model.invocation.completed') {
      const provider = str(e.data, 'provider');
      const model = str(e.data, 'model');
      if (!provider || !model) return;
      let byModel = this.models.get(provider);
      if (!byModel) this.models.set(provider, (byModel = new Map()));
      let versions = byModel.get(model);
      if (!versions) byModel.set(model, (versions = new Set()));
      const version = str(e.data, 'modelVersion');
      if (version) versions.add(version);
    }
  }

  inventory(): SystemInventory {
    return {
      repositories: sorted(this.repositories),
      services: sorted(this.services),
      agents: sorted(this.agents.keys()).map((id) => ({ id, versions: sorted(this.agents.get(id) ?? []) })),
      modelProviders: sorted(this.models.keys()).map((provider) => {
        const byModel = this.models.get(provider) ?? new Map<string, Set<string>>();
        return { provider, models: sorted(byModel.keys()).map((model) => ({ model, versions: sorted(byModel.get(model) ?? []) })) };
      }),
    };
  }

  private agent(id: string, version?: string): void {
    let versions = this.agents.get(id);
    if (!versions) this.agents.set(id, (versions = new Set()));
    if (version) versions.add(version);
  }
}

// Code-point order, as canonical JSON sorts keys: independent of the locale.
function sorted(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
