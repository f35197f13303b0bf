import { createHash } from 'node:crypto';
import { ControlResult, ControlsReport } from '@evidence-ledger/evidence';
import { PACK_FILES } from './pack-format';

export const OSCAL_VERSION = '1.1.2';

// The namespace of every UUID a pack's OSCAL document holds (RFC 9562 §5.5, name-based,
// SHA-1): derived from the pack's identity, so the same pack gives the same document.
const PACK_NAMESPACE = '6f1c3a52-8a7e-4c1b-9a43-2f7d0b5e9c11';

/**
 * OSCAL 1.1 assessment results for a pack (https://pages.nist.gov/OSCAL/): one result for
 * the period, every control of the template reviewed, one observation per control (its
 * automated tests, population and exceptions) and one finding per decided control, whose
 * target status is `satisfied` or `not-satisfied`. Controls without an automated test or
 * without a population are observed, not found on — OSCAL has no not-applicable finding.
 */
export function assessmentResults(report: ControlsReport, lastModified: string): Record<string, unknown> {
  const { subject, template } = report;
  const id = (name: string) =>
    uuidV5(
      `${subject.checkpoint.origin}\n${subject.checkpoint.treeSize}\n${template.framework}\n${subject.period.from}\n${subject.period.to}\n${subject.scope.repositories.join(',')}\n${name}`,
    );
  const observations = report.controls.map((c) => observation(c, id(`observation ${c.id}`), lastModified));
  const findings = report.controls
    .filter((c) => c.status !== 'not-applicable')
    .map((c) => ({
      uuid: id(`finding ${c.id}`),
      title: `${c.id} ${c.title}`,
      description:
        c.status === 'satisfied'
          ? `Every automated test of ${c.id} passed over ${c.populationSize} population items.`
          : `${c.exceptions.length} exception(s): ${c.exceptions
              .slice(0, 5)
              .map((x) => `entry ${x.sequence} ${x.reason}`)
              .join('; ')}${c.exceptions.length > 5 ? '; …' : ''}`,
      target: { type: 'objective-id', 'target-id': oscalToken(c.id), status: { state: c.status } },
      'related-observations': [{ 'observation-uuid': id(`observation ${c.id}`) }],
    }));
  return {
    'assessment-results': {
      uuid: id('assessment-results'),
      metadata: {
        title: `${template.title} — evidence pack for ${subject.tenant}`,
        'last-modified': lastModified,
        version: template.version,
        'oscal-version': OSCAL_VERSION,
        props: [
          { name: 'tenant', ns: 'https://evidence-ledger.dev/ns/oscal', value: subject.tenant },
          { name: 'framework', ns: 'https://evidence-ledger.dev/ns/oscal', value: template.framework },
        ],
      },
      'import-ap': { href: `./${PACK_FILES.controls}`, remarks: 'The plan is the evidence template embedded in controls.json.' },
      results: [
        {
          uuid: id('result'),
          title: `${template.title}: ${subject.period.from} to ${subject.period.to}`,
          description: `Automated control tests over ${report.population.entries} ledger entries, proven to checkpoint ${subject.checkpoint.origin} #${subject.checkpoint.treeSize}.`,
          start: subject.period.from,
          end: subject.period.to,
          props: [
            { name: 'checkpoint-root', ns: 'https://evidence-ledger.dev/ns/oscal', value: subject.checkpoint.rootHash },
            { name: 'tree-size', ns: 'https://evidence-ledger.dev/ns/oscal', value: String(subject.checkpoint.treeSize) },
          ],
          'reviewed-controls': {
            'control-selections': [{ 'include-controls': report.controls.map((c) => ({ 'control-id': oscalToken(c.id) })) }],
          },
          observations,
          ...(findings.length > 0 ? { findings } : {}),
        },
      ],
    },
  };
}

function observation(c: ControlResult, uuid: string, collected: string): Record<string, unknown> {
  const tests = c.tests.map(
    (t) => `${t.spec.kind}: ${t.status} (${t.populationSize} ${t.populationOf}, ${t.exceptions.length} exceptions)`,
  );
  return {
    uuid,
    title: `${c.id} automated tests`,
    description: tests.length > 0 ? tests.join('; ') : `Not applicable: ${c.reason ?? 'no automated test'}`,
    props: [
      { name: 'control-status', ns: 'https://evidence-ledger.dev/ns/oscal', value: c.status },
      { name: 'population-size', ns: 'https://evidence-ledger.dev/ns/oscal', value: String(c.populationSize) },
    ],
    methods: ['TEST'],
    'relevant-evidence': [
      { href: `./${PACK_FILES.events}`, description: 'The population: every entry as its canonical bytes, with proofs in proofs/.' },
    ],
    collected,
  };
}

/** A control id as an OSCAL token: letters, digits, `.`, `-`, `_`, starting with a letter or `_`. */
export function oscalToken(controlId: string): string {
  const t = controlId.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/_+$/, '');
  return /^[\p{L}_]/u.test(t) ? t : `_${t}`;
}

// RFC 9562 §5.5 UUID version 5 of `name` in PACK_NAMESPACE.
function uuidV5(name: string): string {
  const ns = Buffer.from(PACK_NAMESPACE.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
