import { PopulationFacts } from './population-facts';
import { EvidenceTemplate } from './template';

/** What the population shows of the system: the AI inventory and where the work happened. */
export interface SystemInventory {
  /** Repositories of the changes recorded in the period (in scope). */
  readonly repositories: readonly string[];
  /** Services that acted (actors of kind `service`), e.g. CI and deployment pipelines. */
  readonly services: readonly string[];
  /** AI agents that acted or were given tasks, with the versions seen. */
  readonly agents: readonly { readonly id: string; readonly versions: readonly string[] }[];
  /** Model providers called, each a subservice organisation, with the models and versions used. */
  readonly modelProviders: readonly {
    readonly provider: string;
    readonly models: readonly { readonly model: string; readonly versions: readonly string[] }[];
  }[];
}

export const EMPTY_INVENTORY: SystemInventory = { repositories: [], services: [], agents: [], modelProviders: [] };

/** Management's assertion as the report prints it, and where its wording came from. */
export interface ManagementAssertion {
  readonly text: string;
  /** `settings`: the tenant's own wording, from the governance settings entry `sequence`. */
  readonly source: 'template' | 'settings' | 'none';
  readonly sequence?: number;
}

/** The report's front matter, derived from the template and the log alone, so the verifier derives it too. */
export interface SystemDescription {
  readonly assertion: ManagementAssertion;
  /** What `{system}` stands for in the assertion. */
  readonly system: string;
  readonly boundaries: {
    /** The repositories the request scoped the pack to; empty for every repository of the tenant. */
    readonly scope: readonly string[];
  } & SystemInventory;
  readonly complementaryUserEntityControls: readonly string[];
}

export function describeSystem(
  template: EvidenceTemplate,
  facts: PopulationFacts,
  subject: {
    readonly tenant: string;
    readonly period: { readonly from: string; readonly to: string };
    readonly scope: { readonly repositories: readonly string[] };
  },
): SystemDescription {
  const inventory = facts.inventory ?? EMPTY_INVENTORY;
  const repositories = subject.scope.repositories.length > 0 ? subject.scope.repositories : inventory.repositories;
  const system = `the AI-assisted software delivery of tenant ${subject.tenant}${
    repositories.length > 0 ? ` (repositories ${repositories.join(', ')})` : ''
  }`;
  const own = facts.assertion;
  const wording = own?.text ?? template.assertion;
  const fill = (text: string) =>
    text
      .replace(/\{tenant\}/g, subject.tenant)
      .replace(/\{period\}/g, `${subject.period.from} to ${subject.period.to}`)
      .replace(/\{system\}/g, system);
  const assertion: ManagementAssertion =
    own !== undefined
      ? { text: fill(own.text), source: 'settings', sequence: own.sequence }
      : wording !== undefined
        ? { text: fill(wording), source: 'template' }
        : { text: 'No assertion was provided by management.', source: 'none' };
  return {
    assertion,
    system,
    boundaries: { scope: [...subject.scope.repositories], ...inventory },
    complementaryUserEntityControls: [...(template.complementaryUserEntityControls ?? [])],
  };
}
