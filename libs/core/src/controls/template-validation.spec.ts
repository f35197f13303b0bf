import { TemplateError } from './template-error';
import { validateTemplate } from './template-validation';

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

function refusal(value: unknown): TemplateError {
  try {
    validateTemplate(value, 'acme.yaml');
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('the template was accepted');
}

describe('template validation', () => {
  it('names the forensics tables a control draws on, and still reads their former key, readModels', () => {
    const named = (evidence: Record<string, unknown>) => validateTemplate(template({ controls: [control({ evidence })] }), 'acme.yaml');
    expect(named({ eventTypes: ['change.merged'], forensics: ['approvals'] }).controls[0].evidence).toEqual({
      eventTypes: ['change.merged'],
      forensics: ['approvals'],
    });
    expect(named({ eventTypes: ['change.merged'], readModels: ['approvals'] }).controls[0].evidence).toEqual({
      eventTypes: ['change.merged'],
      forensics: ['approvals'],
    });
    expect(
      refusal(template({ controls: [control({ evidence: { eventTypes: [], forensics: ['a'], readModels: ['a'] } })] })).message,
    ).toMatch(/controls\[0\]\.evidence: give forensics or its former name readModels, not both/);
  });

  it('accepts a customer template and returns it typed', () => {
    const t = validateTemplate(
      template({
        controls: [
          control({
            tests: [
              { kind: 'scan-passed-before-merge', requiredKinds: ['sast', 'secrets'], maxSeverity: 'high' },
              { kind: 'human-oversight-at-checkpoints', checkpoints: ['merge', 'deploy'] },
              { kind: 'retention-met', minimumDays: 183 },
            ],
            sampling: { size: 10 },
          }),
        ],
      }),
      'acme.yaml',
    );
    expect(t.controls[0].tests.map((x) => x.kind)).toEqual(['scan-passed-before-merge', 'human-oversight-at-checkpoints', 'retention-met']);
    expect(t.controls[0].sampling).toEqual({ size: 10 });
  });

  it.each([
    [template({ framework: 'ACME Policy' }), 'framework', 'lowercase'],
    [template({ controls: [] }), 'controls', 'non-empty list'],
    [template({ retention: { days: 0 } }), 'retention.days', 'whole number'],
    [template({ owner: 'x' }), 'owner', 'unknown field'],
    [template({ controls: [control({ title: '' })] }), 'controls[0].title', 'non-empty string'],
    [template({ controls: [control({ tests: [{ kind: 'approval' }] })] }), 'controls[0].tests[0].kind', 'unknown test kind approval'],
    [
      template({ controls: [control({ tests: [{ kind: 'scan-passed-before-merge', maxSeverity: 'severe' }] })] }),
      'controls[0].tests[0].maxSeverity',
      'one of info',
    ],
    [
      template({ controls: [control({ tests: [{ kind: 'model-on-allow-list', models: [] }] })] }),
      'controls[0].tests[0].models',
      'unknown field',
    ],
    [
      template({ controls: [control({ tests: [{ kind: 'human-oversight-at-checkpoints', checkpoints: ['qa'] }] })] }),
      'controls[0].tests[0].checkpoints[0]',
      'unknown checkpoint qa',
    ],
    [template({ controls: [control({ tests: [{ kind: 'retention-met' }] })] }), 'controls[0].tests[0].minimumDays', 'whole number'],
    [template({ controls: [control({ tests: [] })] }), 'controls[0].tests', 'notApplicable'],
    [template({ controls: [control({ notApplicable: 'manual' })] }), 'controls[0].notApplicable', 'only a control without tests'],
    [template({ controls: [control(), control()] }), 'controls[1].id', 'duplicate control id AI-1'],
    [template({ controls: [control({ sampling: { size: 0 } })] }), 'controls[0].sampling.size', 'whole number'],
    [
      template({ controls: [control({ evidence: { eventTypes: 'change.merged' } })] }),
      'controls[0].evidence.eventTypes',
      'list of strings',
    ],
    [template({ lateEvidence: { thresholdHours: 0 } }), 'lateEvidence.thresholdHours', 'whole number from 1 to 8760'],
    [template({ lateEvidence: { thresholdHours: 1.5 } }), 'lateEvidence.thresholdHours', 'whole number'],
    [template({ lateEvidence: { hours: 24 } }), 'lateEvidence.hours', 'unknown field'],
    [template({ lateEvidence: 24 }), 'lateEvidence', 'must be an object'],
    [
      template({ controls: [control({ evidence: { eventTypes: [], ledger: ['checkpoint.published'] } })] }),
      'controls[0].evidence.ledger[0]',
      'unknown ledger evidence checkpoint.published; one of signed-checkpoint',
    ],
  ])('refuses %#, naming the file and the field %s', (value, field, problem) => {
    const e = refusal(value);
    expect(e.field).toBe(field);
    expect(e.message).toContain(`acme.yaml: ${field}: `);
    expect(e.problem).toContain(problem);
  });

  it('accepts a late-evidence threshold and the ledger evidence a control draws on', () => {
    const t = validateTemplate(
      template({
        lateEvidence: { thresholdHours: 72 },
        controls: [control({ evidence: { eventTypes: [], ledger: ['signed-checkpoint', 'archive-lock'] } })],
      }),
      'acme.yaml',
    );
    expect(t.lateEvidence).toEqual({ thresholdHours: 72 });
    expect(t.controls[0].evidence).toEqual({ eventTypes: [], ledger: ['signed-checkpoint', 'archive-lock'] });
    expect(validateTemplate(template(), 'acme.yaml').lateEvidence).toBeUndefined();
  });

  it('accepts a control without tests when it says why it is not applicable', () => {
    const t = validateTemplate(template({ controls: [control({ tests: [], notApplicable: 'reviewed by hand' })] }), 'acme.yaml');
    expect(t.controls[0]).toMatchObject({ tests: [], notApplicable: 'reviewed by hand' });
  });
});
