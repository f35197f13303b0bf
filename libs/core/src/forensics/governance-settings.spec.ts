import { forensicEvents as ev } from '@evidence-ledger/samples';
import { applySettings, DEFAULT_SETTINGS, isModelAllowed, needsDeployApproval } from '@evidence-ledger/core';
import { asEntries } from './testing/log-entries';

const apply = (data: Record<string, unknown>, current = DEFAULT_SETTINGS) => {
  const event = ev.settings({}, {});
  return applySettings(current, asEntries([{ ...event, data }])[0]);
};

describe('governance settings', () => {
  it('honours only settings the log records as posted by a governance role; a rebuild applies nothing else', () => {
    const first = apply({ requiredScanKinds: ['sast'] }).settings;
    const { producerrole: _role, ...unsigned } = ev.settings({}, { requiredScanKinds: [] });
    for (const event of [unsigned, { ...unsigned, producerrole: 'producer' }]) {
      const update = applySettings(first, asEntries([event])[0]);
      expect(update.settings).toBe(first);
      expect(update.rejected).toEqual(['producerrole']);
    }
    expect(applySettings(first, asEntries([{ ...unsigned, producerrole: 'admin' }])[0]).settings.requiredScanKinds).toEqual([]);
  });

  it('allows every model until an allow-list is set', () => {
    expect(isModelAllowed(DEFAULT_SETTINGS, 'any', 'model', 'v1')).toBe(true);
  });

  it('matches an allow-list by provider, model and, when listed, exact version', () => {
    const { settings } = apply({
      allowedModels: [
        { provider: 'anthropic', model: 'claude-sonnet', versions: ['2026-09-01'] },
        { provider: 'openai', model: 'gpt-5' },
      ],
    });
    expect(isModelAllowed(settings, 'anthropic', 'claude-sonnet', '2026-09-01')).toBe(true);
    expect(isModelAllowed(settings, 'anthropic', 'claude-sonnet', '2026-10-15')).toBe(false);
    expect(isModelAllowed(settings, 'openai', 'gpt-5', 'anything')).toBe(true);
    expect(isModelAllowed(settings, 'openai', 'gpt-5-mini', 'x')).toBe(false);
  });

  it('replaces only the fields an update names', () => {
    const first = apply({ allowedModels: [{ provider: 'p', model: 'm' }], requiredScanKinds: ['sast'] }).settings;
    const second = apply({ deployApprovalEnvironments: ['*'] }, first).settings;
    expect(second.allowedModels).toEqual([{ provider: 'p', model: 'm' }]);
    expect(second.requiredScanKinds).toEqual(['sast']);
    expect(needsDeployApproval(second, 'staging')).toBe(true);
  });

  it('keeps the previous value of a malformed field and names it', () => {
    const first = apply({ allowedModels: [{ provider: 'p', model: 'm' }] }).settings;
    const update = apply({ allowedModels: 'anthropic/*', requiredScanKinds: ['sast', 3], colour: 'blue' }, first);
    expect(update.settings.allowedModels).toEqual([{ provider: 'p', model: 'm' }]);
    expect(update.settings.requiredScanKinds).toEqual([]);
    expect(update.rejected).toEqual(['allowedModels', 'requiredScanKinds', 'colour']);
  });

  it('needs deploy approval in production by default', () => {
    expect(needsDeployApproval(DEFAULT_SETTINGS, 'production')).toBe(true);
    expect(needsDeployApproval(DEFAULT_SETTINGS, 'staging')).toBe(false);
  });

  it("keeps the tenant's own assertion wording, refusing a blank one, an overlong one or an unknown placeholder", () => {
    const first = apply({ assertion: 'Management of {tenant} asserts that {system} operated throughout {period}.' });
    expect(first.rejected).toEqual([]);
    expect(first.settings.assertion).toBe('Management of {tenant} asserts that {system} operated throughout {period}.');
    for (const assertion of ['  ', 'x'.repeat(4001), 'Management of {tennant}.', 42]) {
      const update = apply({ assertion }, first.settings);
      expect(update.rejected).toEqual(['assertion']);
      expect(update.settings.assertion).toBe(first.settings.assertion);
    }
  });
});
