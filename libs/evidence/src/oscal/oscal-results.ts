import { createHash } from 'node:crypto';
import { ControlResult, ControlsReport } from '@evidence-ledger/core';
import { PACK_FILES } from '@evidence-ledger/verify';
import { attestations } from './oscal-attestations';
import { responseRisks } from './oscal-risks';
import { controlResponseSummary } from '../report/management-response-text';

export const OSCAL_VERSION = '1.1.2';

// The namespace of every UUID a pack's OSCAL document holds (RFC 9562 §5.5, name-based,
// SHA-1): derived from the pack's identity, so the same pack gives the same document.
const PACK_NAMESPACE = '6f1c3a52-8a7e-4c1b-9a43-2f7d0b5e9c11';

const NS = 'https://evidence-ledger.dev/ns/oscal';
const MAX_LISTED = 5;

/**
 * OSCAL 1.1 assessment results for a pack (https://pages.nist.gov/OSCAL/): one result for
 * the period, every control of the template reviewed, one observation per control (its
 * automated tests, population and exceptions, each entry with both clocks), one observation
 * of the period's late evidence, and one finding per control that has automated tests.
 * OSCAL's finding state is only `satisfied` or `not-satisfied`: a not-tested control cannot be
 * asserted satisfied, so its finding is `not-satisfied` with reason `other`, remarks saying
 * what was missing and the prop `control-status: not-tested` — never a silent pass. A
 * not-applicable control (no automated test) has an observation only. An exception management
 * responded to is a risk with the response as its remediation, related from its findings.
 */
export function assessmentResults(report: ControlsReport, lastModified: string): Record<string, unknown> {
  const { subject, template } = report;
  const id = (name: string) =>
    uuidV5(
      `${subject.checkpoint.origin}\n${subject.checkpoint.treeSize}\n${template.framework}\n${subject.period.from}\n${subject.period.to}\n${subject.scope.repositories.join(',')}\n${name}`,
    );
  const late = report.lateEvidence;
  const lateObservation = id('observation late evidence');
  const observations = [
    ...report.controls.map((c) => observation(c, id(`observation ${c.id}`), lastModified)),
    {
      uuid: lateObservation,
      title: 'Late evidence',
      description:
        late.entries.length === 0
          ? `No entry of the population was recorded more than ${late.thresholdHours} hours after the time its producer gives.`
          : `${late.entries.length} entries were recorded more than ${late.thresholdHours} hours after the time their producer gives (backfilled evidence; only the recorded time is proven by the log): ${late.entries
              .slice(0, MAX_LISTED)
              .map((e) => `entry ${e.sequence} ${e.type} (${ref(e)}; ${clocks(e)})`)
              .join('; ')}${late.entries.length > MAX_LISTED ? '; … (all in controls.json)' : ''}.`,
      props: [
        { name: 'late-evidence-threshold-hours', ns: NS, value: String(late.thresholdHours) },
        { name: 'late-entries', ns: NS, value: String(late.entries.length) },
      ],
      methods: ['TEST'],
      'relevant-evidence': [{ href: `./${PACK_FILES.controls}`, description: 'lateEvidence: every late entry with both of its clocks.' }],
      collected: lastModified,
    },
  ];
  const { risks, relatedRisks } = responseRisks(report, id);
  const findings = report.controls
    .filter((c) => c.status !== 'not-applicable')
    .map((c) => ({
      uuid: id(`finding ${c.id}`),
      title: `${c.id} ${c.title}`,
      description: findingDescription(c),
      props: [{ name: 'control-status', ns: NS, value: c.status }],
      target: { type: 'objective-id', 'target-id': oscalToken(c.id), status: findingStatus(c) },
      'related-observations': [
        { 'observation-uuid': id(`observation ${c.id}`) },
        ...(c.exceptions.some((x) => x.late) ? [{ 'observation-uuid': lateObservation }] : []),
      ],
      ...(relatedRisks(c).length > 0 ? { 'related-risks': relatedRisks(c) } : {}),
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
          { name: 'tenant', ns: NS, value: subject.tenant },
          { name: 'framework', ns: NS, value: template.framework },
        ],
      },
      'import-ap': { href: `./${PACK_FILES.controls}`, remarks: 'The plan is the evidence template embedded in controls.json.' },
      results: [
        {
          uuid: id('result'),
          title: `${template.title}: ${subject.period.from} to ${subject.period.to}`,
          description: `Automated control tests over the ${report.population.entries} ledger entries recorded (by the ledger's clock, recordedAt) in the period, proven to checkpoint ${subject.checkpoint.origin} #${subject.checkpoint.treeSize}.`,
          start: subject.period.from,
          end: subject.period.to,
          props: [
            { name: 'checkpoint-root', ns: NS, value: subject.checkpoint.rootHash },
            { name: 'tree-size', ns: NS, value: String(subject.checkpoint.treeSize) },
            { name: 'population-clock', ns: NS, value: report.population.clock },
            { name: 'late-entries', ns: NS, value: String(late.entries.length) },
          ],
          'reviewed-controls': {
            'control-selections': [{ 'include-controls': report.controls.map((c) => ({ 'control-id': oscalToken(c.id) })) }],
          },
          attestations: attestations(report),
          observations,
          ...(risks.length > 0 ? { risks } : {}),
          ...(findings.length > 0 ? { findings } : {}),
        },
      ],
    },
  };
}

function findingStatus(c: ControlResult): Record<string, string> {
  if (c.status === 'satisfied') return { state: 'satisfied', reason: 'pass' };
  if (c.status === 'not-satisfied') return { state: 'not-satisfied', reason: 'fail' };
  return { state: 'not-satisfied', reason: 'other', remarks: `Not tested: ${c.reason ?? 'nothing to examine'}` };
}

function findingDescription(c: ControlResult): string {
  if (c.status === 'satisfied') return `Every automated test of ${c.id} examined its population and passed (${c.populationSize} items).`;
  if (c.status === 'not-tested') return `Not tested — no determination could be made: ${c.reason ?? 'nothing to examine'}.`;
  return `${c.exceptions.length} exception(s): ${c.exceptions
    .slice(0, MAX_LISTED)
    .map((x) => (x.sequence < 0 ? x.reason : `entry ${x.sequence} (${ref(x)}; ${clocks(x)}${x.late ? ', late evidence' : ''}) ${x.reason}`))
    .join('; ')}${c.exceptions.length > MAX_LISTED ? '; …' : ''}`;
}

/** How an entry is cited beside its sequence: its event id and the first 12 hex digits of its leaf hash. */
function ref(e: { readonly eventId?: string; readonly leafHash?: string }): string {
  return `event ${e.eventId ?? '?'}, leaf ${(e.leafHash ?? '').slice(0, 12)}`;
}

/** An entry's two clocks in words: when it happened by its producer, when the ledger recorded it. */
function clocks(e: { readonly time?: string; readonly recordedAt?: string }): string {
  return `happened ${e.time ?? 'at no stated time'}, recorded ${e.recordedAt ?? '?'}`;
}

function observation(c: ControlResult, uuid: string, collected: string): Record<string, unknown> {
  const tests = c.tests.map(
    (t) =>
      `${t.spec.kind}: ${t.status} (${t.populationSize} ${t.populationOf}, ${t.exceptions.length} exceptions${t.reason ? `; ${t.reason}` : ''})`,
  );
  return {
    uuid,
    title: `${c.id} automated tests`,
    description: `${c.testPerformed ? `Test performed: ${c.testPerformed} ` : ''}${
      tests.length > 0 ? `Automated tests: ${tests.join('; ')}` : `Not applicable: ${c.reason ?? 'no automated test'}`
    }. Management response: ${controlResponseSummary(c.exceptions)}.`,
    props: [
      { name: 'control-status', ns: NS, value: c.status },
      { name: 'population-size', ns: NS, value: String(c.populationSize) },
      { name: 'sample-size', ns: NS, value: String(c.sample.size) },
      ...(c.owner ? [{ name: 'control-owner', ns: NS, value: c.owner }] : []),
      ...(c.frequency ? [{ name: 'control-frequency', ns: NS, value: c.frequency }] : []),
      ...(c.automation ? [{ name: 'control-automation', ns: NS, value: c.automation }] : []),
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
