import { ControlsReport } from '@evidence-ledger/core';
import { MUTED, ReportLayout } from './report-layout';

// The report's opening sections as auditors expect them: management's assertion, then the
// system's description and boundaries (what the pack is about, who else is involved).

export function writeAssertion(w: ReportLayout, report: ControlsReport): void {
  const a = report.description.assertion;
  w.callout(a.text);
  w.para(
    a.source === 'settings'
      ? `The tenant's own wording, from its governance settings (entry ${a.sequence ?? '?'} of events.jsonl, an x.governance.settings.updated event posted by an admin key).`
      : a.source === 'template'
        ? `The wording of the "${report.template.title}" template; a tenant states its own in its governance settings (assertion).`
        : "Neither the template nor the tenant's governance settings state an assertion.",
    9,
    MUTED,
  );
  w.para(
    "The assertion is management's. The results that follow are computed from the ledger's signed record and recomputed by the verifier; they support or contradict the assertion, they do not make it.",
    9,
    MUTED,
  );
}

export function writeSystemDescription(w: ReportLayout, report: ControlsReport): void {
  const d = report.description;
  const b = d.boundaries;
  w.para(`The system: ${d.system}.`);
  w.subheading('Boundaries');
  w.keyValues([
    ['Repositories in scope', b.scope.length > 0 ? b.scope.join(', ') : 'every repository of the tenant (no scope given)'],
    ['Repositories seen', list(b.repositories, 'no change was recorded in the period')],
    ['Services seen', list(b.services, 'no service acted in the period')],
    [
      'AI agents seen',
      list(
        b.agents.map((a) => (a.versions.length ? `${a.id} (${a.versions.join(', ')})` : a.id)),
        'no AI agent acted in the period',
      ),
    ],
  ]);
  w.para(
    'Seen: acting in, or named by, the entries the ledger recorded in the period within the scope, as the AI inventory reads them (the actor of each entry, agent task requests, model calls).',
    9,
    MUTED,
  );
  w.subheading('Subservice organisations: AI model providers');
  if (b.modelProviders.length === 0) w.para('No model call was recorded in the period.', 10, MUTED);
  else {
    w.table(
      ['Provider', 'Model', 'Versions called in the period'],
      [120, 150, 215],
      b.modelProviders.flatMap((p) => p.models.map((m) => [p.provider, m.model, m.versions.join(', ') || '-'])),
    );
    w.para(
      "The providers' own controls over their models are outside this report (carve-out): the ledger evidences which exact model versions were called and whether each was on the tenant's allow-list, not how the provider operates them.",
      9,
      MUTED,
    );
  }
  w.subheading('Complementary user-entity controls');
  if (d.complementaryUserEntityControls.length === 0) w.para('The template names none.', 10, MUTED);
  else {
    w.para('The controls above achieve their objectives only if the tenant also operates these:', 9.5);
    w.bullets(d.complementaryUserEntityControls);
  }
}

function list(items: readonly string[], none: string): string {
  return items.length > 0 ? items.join(', ') : none;
}
