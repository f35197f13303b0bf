import { ASSERTION_PLACEHOLDERS } from '../controls/template';
import { Data, str, strings } from './event-data';
import { ProjectedEntry } from './projected-entry';

/**
 * The producer event that sets a tenant's governance settings, recorded in the log like
 * every other fact: the settings in force at any moment are provable, a rebuild reads them
 * from the log alone, and a replay sees the settings of its own point in time.
 */
export const GOVERNANCE_SETTINGS_TYPE = 'x.governance.settings.updated';

/**
 * The CloudEvents extension attribute that records the role of the API key that posted an
 * event. The service refuses it unless it names the posting key's own role, refuses settings
 * events from any key without a governance role, and stamps it on the settings events it
 * accepts — so the entry itself says a governance role made the change, and a rebuild from the
 * log alone honours exactly the changes the service accepted.
 */
export const PRODUCER_ROLE_ATTRIBUTE = 'producerrole';

/** The roles whose settings events are honoured: the service judged by the rules cannot change them. */
export const GOVERNANCE_ROLES: readonly string[] = ['admin'];

/** One allow-list entry: a provider's model, limited to the given exact versions when listed. */
export interface AllowedModel {
  readonly provider: string;
  readonly model: string;
  readonly versions?: readonly string[];
}

/**
 * What the control-exception rules need to know about a tenant (docs/forensics.md). Each
 * field of a settings event replaces the current value; fields left out keep theirs.
 */
export interface GovernanceSettings {
  /** Undefined until set: with no allow-list, no model is reported as unapproved. */
  readonly allowedModels?: readonly AllowedModel[];
  /** Scan kinds a merge needs; with none set, a merge needs at least one scan of any kind. */
  readonly requiredScanKinds: readonly string[];
  /** Environments a deployment needs a `deploy` approval for; `*` means every environment. */
  readonly deployApprovalEnvironments: readonly string[];
  /**
   * Management's assertion in the tenant's own words, printed in evidence packs instead of the
   * template's; may use the placeholders {tenant}, {period} and {system}.
   */
  readonly assertion?: string;
  /** Sequence of the last settings event applied. */
  readonly sequence?: number;
}

export const DEFAULT_SETTINGS: GovernanceSettings = { requiredScanKinds: [], deployApprovalEnvironments: ['production'] };

const FIELDS = ['allowedModels', 'requiredScanKinds', 'deployApprovalEnvironments', 'assertion'] as const;

/** The longest assertion accepted: a few paragraphs, not a document. */
export const MAX_ASSERTION_LENGTH = 4_000;

/** A settings event applied: the new settings, and the fields that were present but malformed. */
export interface SettingsUpdate {
  readonly settings: GovernanceSettings;
  readonly rejected: readonly string[];
}

// Applies one settings event. A malformed field is not applied (the previous value stays)
// and is named in `rejected`, which the exception rules turn into a finding: a broken
// allow-list must be seen, never silently ignored. An event not recorded as posted by a
// governance role (see PRODUCER_ROLE_ATTRIBUTE) changes nothing at all and is rejected as a
// whole, under the attribute's name.
export function applySettings(current: GovernanceSettings, entry: ProjectedEntry): SettingsUpdate {
  if (!isGovernanceRole(entry.producerRole)) return { settings: current, rejected: [PRODUCER_ROLE_ATTRIBUTE] };
  const d = entry.data;
  const rejected: string[] = [];
  let next: GovernanceSettings = { ...current, sequence: entry.sequence };
  const models = d.allowedModels;
  if (models !== undefined) {
    const parsed = Array.isArray(models) ? models.map((m) => allowedModel(m)) : [undefined];
    if (parsed.every((m) => m !== undefined)) next = { ...next, allowedModels: parsed as AllowedModel[] };
    else rejected.push('allowedModels');
  }
  for (const field of ['requiredScanKinds', 'deployApprovalEnvironments'] as const) {
    if (d[field] === undefined) continue;
    const list = d[field];
    if (Array.isArray(list) && list.every((x) => typeof x === 'string' && x !== '')) next = { ...next, [field]: list as string[] };
    else rejected.push(field);
  }
  if (d.assertion !== undefined) {
    if (isAssertion(d.assertion)) next = { ...next, assertion: d.assertion };
    else rejected.push('assertion');
  }
  for (const key of Object.keys(d)) if (!(FIELDS as readonly string[]).includes(key)) rejected.push(key);
  return { settings: next, rejected };
}

// An assertion is non-blank text of bounded length whose placeholders are all known, so a
// typo like {tennant} is reported rather than printed as is.
function isAssertion(value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_ASSERTION_LENGTH) return false;
  return [...value.matchAll(/\{([^{}]*)\}/g)].every((m) => (ASSERTION_PLACEHOLDERS as readonly string[]).includes(m[1]));
}

function allowedModel(value: unknown): AllowedModel | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Data;
  const provider = str(m, 'provider');
  const model = str(m, 'model');
  if (!provider || !model) return undefined;
  if (m.versions === undefined) return { provider, model };
  const versions = strings(m, 'versions');
  return Array.isArray(m.versions) && versions.length === m.versions.length ? { provider, model, versions } : undefined;
}

/** Whether an exact model version is on the allow-list (always, when there is no list). */
export function isModelAllowed(settings: GovernanceSettings, provider: string, model: string, version: string): boolean {
  if (settings.allowedModels === undefined) return true;
  return settings.allowedModels.some((m) => m.provider === provider && m.model === model && (!m.versions || m.versions.includes(version)));
}

export function needsDeployApproval(settings: GovernanceSettings, environment: string | undefined): boolean {
  const envs = settings.deployApprovalEnvironments;
  return envs.includes('*') || (environment !== undefined && envs.includes(environment));
}

/** Reads stored settings back (they are stored as the JSON of GovernanceSettings). */
export function settingsFromJson(value: unknown): GovernanceSettings {
  if (typeof value !== 'object' || value === null) return DEFAULT_SETTINGS;
  return { ...DEFAULT_SETTINGS, ...(value as Partial<GovernanceSettings>) };
}

/** Whether a role may change the governance settings. */
export function isGovernanceRole(role: string | undefined): boolean {
  return role !== undefined && GOVERNANCE_ROLES.includes(role);
}
