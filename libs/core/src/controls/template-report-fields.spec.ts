import { TemplateError } from './template-error';
import { validateTemplate } from './template-validation';
import { plannedSample, SAMPLE_SIZE_BY_FREQUENCY } from './sample-size';

const control = (over: Record<string, unknown> = {}) => ({
  id: 'AI-1',
  title: 'Independent review of AI code',
  objective: 'AI-written changes are reviewed by a human.',
  evidence: { eventTypes: ['change.merged'] },
  tests: [{ kind: 'independent-approval-before-merge' }],
  ...over,
});
const template = (over: Record<string, unknown> = {}) => ({
  framework: 'acme-ai-policy',
  title: 'ACME internal AI policy',
  version: '2026.1',
  retention: { days: 365 },
  controls: [control()],
  ...over,
});

function refusal(value: unknown): string {
  try {
    validateTemplate(value, 'acme.yaml');
  } catch (e) {
    if (e instanceof TemplateError) return e.message;
    throw e;
  }
  throw new Error('the template was accepted');
}

describe('template fields for the report', () => {
  it('accepts how a control operates and the framework sections, and returns them typed', () => {
    const t = validateTemplate(
      template({
        assertion: 'Management of {tenant} asserts that {system} operated throughout {period}.',
        complementaryUserEntityControls: ['The tenant posts every event.'],
        statementOfApplicability: [
          { id: 'X.1', title: 'Review', applicable: true, justification: 'Evidenced by the pack.', controls: ['AI-1'] },
          { id: 'X.2', title: 'Premises', applicable: false, justification: 'No premises.' },
        ],
        documentationIndex: [{ point: '1', title: 'General description' }],
        recordKeeping: { title: 'Retention', requirement: 'Keep logs.', minimumDays: 183 },
        controls: [control({ owner: 'Head of Engineering', frequency: 'daily', automation: 'manual', testPerformed: 'Inspected.' })],
      }),
      'acme.yaml',
    );
    expect(t.controls[0]).toMatchObject({
      owner: 'Head of Engineering',
      frequency: 'daily',
      automation: 'manual',
      testPerformed: 'Inspected.',
    });
    expect(t.statementOfApplicability?.map((s) => [s.id, s.applicable])).toEqual([
      ['X.1', true],
      ['X.2', false],
    ]);
    expect(t.documentationIndex).toEqual([{ point: '1', title: 'General description' }]);
    expect(t.recordKeeping?.minimumDays).toBe(183);
  });

  it.each([
    [
      { controls: [control({ frequency: 'hourly' })] },
      'controls[0].frequency: must be one of annual, quarterly, monthly, weekly, daily, multiple-times-per-day, per-event',
    ],
    [{ controls: [control({ automation: 'semi' })] }, 'controls[0].automation: must be one of automated, manual'],
    [{ controls: [control({ owner: '' })] }, 'controls[0].owner: must be a non-empty string'],
    [{ assertion: 'Management of {tennant} asserts.' }, 'assertion: unknown placeholder {tennant}; one of {tenant}, {period}, {system}'],
    [{ complementaryUserEntityControls: 'one' }, 'complementaryUserEntityControls: must be a list of strings'],
    [
      { statementOfApplicability: [{ id: 'X.1', title: 'T', applicable: 'yes', justification: 'J' }] },
      'statementOfApplicability[0].applicable: must be true or false',
    ],
    [
      { statementOfApplicability: [{ id: 'X.1', title: 'T', applicable: true, justification: 'J', controls: ['AI-9'] }] },
      'statementOfApplicability[0].controls[0]: no control AI-9 in this template',
    ],
    [
      {
        statementOfApplicability: [
          { id: 'X.1', title: 'T', applicable: true, justification: 'J' },
          { id: 'X.1', title: 'T', applicable: true, justification: 'J' },
        ],
      },
      'statementOfApplicability[1]: duplicate X.1',
    ],
    [
      { documentationIndex: [{ point: '1', title: 'T', evidence: 'x' }] },
      'documentationIndex[0].evidence: unknown field; allowed: point, title, evidencedBy, controls',
    ],
    [
      { recordKeeping: { title: 'R', requirement: 'Q', minimumDays: 0 } },
      'recordKeeping.minimumDays: must be a whole number from 1 to 36500',
    ],
  ])('refuses %j naming the field', (over, message) => {
    expect(refusal(template(over))).toBe(`acme.yaml: ${message}`);
  });

  it('derives the sample size from the frequency when the template sets none (AICPA-style table)', () => {
    expect(SAMPLE_SIZE_BY_FREQUENCY).toEqual({
      annual: 1,
      quarterly: 2,
      monthly: 2,
      weekly: 5,
      daily: 25,
      'multiple-times-per-day': 25,
      'per-event': 25,
    });
    const c = validateTemplate(template({ controls: [control({ frequency: 'weekly' })] }), 'acme.yaml').controls[0];
    expect(plannedSample(c)).toEqual({ size: 5, basis: { by: 'frequency', frequency: 'weekly' } });
    expect(plannedSample({ ...c, sampling: { size: 10 } })).toEqual({ size: 10, basis: { by: 'template' } });
    const { frequency: _f, ...bare } = c;
    expect(plannedSample(bare)).toEqual({ size: 25, basis: { by: 'default' } });
  });
});
