import { ControlsReport } from '@evidence-ledger/core';

const NS = 'https://evidence-ledger.dev/ns/oscal';

type Part = Record<string, unknown>;

/**
 * The report's front matter and framework sections as OSCAL attestation parts: management's
 * assertion, the system description and its boundaries (with the complementary user-entity
 * controls), the framework's Statement of Applicability or technical-documentation index, and
 * the record-keeping facts. Part names are this project's (namespace NS); OSCAL leaves the
 * attestation's wording to the document.
 */
export function attestations(report: ControlsReport): Record<string, unknown>[] {
  const d = report.description;
  const b = d.boundaries;
  const t = report.template;
  const parts: Part[] = [
    {
      name: 'management-assertion',
      ns: NS,
      title: "Management's assertion",
      props: [{ name: 'source', ns: NS, value: d.assertion.source }],
      prose: d.assertion.text,
    },
    {
      name: 'system-description',
      ns: NS,
      title: 'System description and boundaries',
      prose: [
        `The system: ${d.system}.`,
        `Repositories in scope: ${b.scope.length ? b.scope.join(', ') : 'every repository of the tenant'}.`,
        `Repositories seen: ${b.repositories.join(', ') || 'none'}.`,
        `Services seen: ${b.services.join(', ') || 'none'}.`,
        `AI agents seen: ${b.agents.map((a) => (a.versions.length ? `${a.id} (${a.versions.join(', ')})` : a.id)).join(', ') || 'none'}.`,
        `Subservice organisations (model providers): ${
          b.modelProviders
            .map((p) => `${p.provider} (${p.models.map((m) => `${m.model} ${m.versions.join(', ')}`.trim()).join('; ')})`)
            .join(', ') || 'none'
        }.`,
      ].join('\n\n'),
      ...(d.complementaryUserEntityControls.length
        ? {
            parts: [
              {
                name: 'complementary-user-entity-controls',
                ns: NS,
                title: 'Complementary user-entity controls',
                prose: d.complementaryUserEntityControls.map((c) => `- ${c}`).join('\n'),
              },
            ],
          }
        : {}),
    },
  ];
  if (t.statementOfApplicability)
    parts.push({
      name: 'statement-of-applicability',
      ns: NS,
      title: 'Statement of Applicability',
      parts: t.statementOfApplicability.map((s) => ({
        name: 'applicability',
        ns: NS,
        title: `${s.id} ${s.title}`,
        props: [
          { name: 'control-id', ns: NS, value: s.id },
          { name: 'applicable', ns: NS, value: s.applicable ? 'yes' : 'no' },
          ...(s.controls ?? []).map((c) => ({ name: 'evidenced-by', ns: NS, value: c })),
        ],
        prose: s.justification,
      })),
    });
  if (t.documentationIndex)
    parts.push({
      name: 'technical-documentation-index',
      ns: NS,
      title: 'Technical documentation index',
      parts: t.documentationIndex.map((p) => ({
        name: 'documentation-point',
        ns: NS,
        title: `${p.point}. ${p.title}`,
        props: (p.controls ?? []).map((c) => ({ name: 'evidenced-by', ns: NS, value: c })),
        prose: p.evidencedBy ?? 'Not evidenced by the ledger.',
      })),
    });
  const r = report.recordKeeping;
  if (r)
    parts.push({
      name: 'record-keeping',
      ns: NS,
      title: r.title,
      props: [
        { name: 'minimum-days', ns: NS, value: String(r.minimumDays) },
        { name: 'retention-enforced', ns: NS, value: r.enforced ? 'yes' : 'no' },
      ],
      prose: `${r.requirement}\n\n${r.logged.entries} entries were recorded by the ledger from ${r.logged.from} to ${r.logged.to} (${r.logged.clock}). ${r.statement}`,
    });
  return [{ parts: parts.map(withoutEmptyProps) }];
}

// OSCAL arrays must not be empty.
function withoutEmptyProps(p: Part): Part {
  const { props, parts, ...rest } = p as { props?: unknown[]; parts?: Part[] };
  return {
    ...rest,
    ...(props && props.length ? { props } : {}),
    ...(parts && parts.length ? { parts: parts.map(withoutEmptyProps) } : {}),
  };
}
