import { PackRequest, TemplateCatalog } from '@evidence-ledger/evidence';
import { HttpProblem } from '../http/http-problem';

/** The longest period one pack may cover. */
export const MAX_PERIOD_DAYS = 400;
/** The most repositories one pack's scope may name. */
export const MAX_SCOPE_REPOSITORIES = 100;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// Checks `POST /v1/evidence-packs` field by field; every refusal names the field (400).
// A period must be over before its evidence is sealed: entries recorded after the pack is
// built would belong to the period yet be missing from it, so a `to` after `now` is refused.
export function parsePackRequest(body: unknown, tenant: string, templates: TemplateCatalog, now: Date = new Date()): PackRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('(body)', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!['framework', 'from', 'to', 'scope'].includes(key)) throw invalid(key, 'unknown field');
  if (typeof b.framework !== 'string' || !templates.get(b.framework))
    throw invalid('framework', `unknown framework ${JSON.stringify(b.framework)}; one of ${templates.frameworks().join(', ')}`);
  const from = instant(b.from, 'from');
  const to = instant(b.to, 'to');
  if (from >= to) throw invalid('to', 'must be after from');
  if (Date.parse(to) > now.getTime())
    throw invalid('to', `is in the future (server time ${now.toISOString()}); a period must be over before its evidence is sealed`);
  if (Date.parse(to) - Date.parse(from) > MAX_PERIOD_DAYS * 86_400_000)
    throw invalid('to', `a pack covers at most ${MAX_PERIOD_DAYS} days`);
  let repositories: string[] = [];
  if (b.scope !== undefined) {
    if (typeof b.scope !== 'object' || b.scope === null || Array.isArray(b.scope))
      throw invalid('scope', 'must be an object, e.g. {"repositories": [...]}');
    const s = b.scope as Record<string, unknown>;
    for (const key of Object.keys(s)) if (key !== 'repositories') throw invalid(`scope.${key}`, 'unknown field');
    if (s.repositories !== undefined) {
      if (!Array.isArray(s.repositories) || s.repositories.some((r) => typeof r !== 'string' || r === '' || r.length > 512))
        throw invalid('scope.repositories', 'must be a list of repository names');
      if (s.repositories.length > MAX_SCOPE_REPOSITORIES)
        throw invalid('scope.repositories', `at most ${MAX_SCOPE_REPOSITORIES} repositories`);
      repositories = [...new Set(s.repositories as string[])].sort();
    }
  }
  return { tenant, framework: b.framework, from, to, repositories };
}

function instant(value: unknown, field: string): string {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value)))
    throw invalid(field, 'must be an RFC 3339 date-time with a time zone, e.g. 2026-10-01T00:00:00Z');
  return new Date(value).toISOString();
}

function invalid(field: string, problem: string): HttpProblem {
  return new HttpProblem(400, 'INVALID_PACK_REQUEST', `${field}: ${problem}`, [{ path: field, message: problem }]);
}
