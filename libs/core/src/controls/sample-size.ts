import { ControlFrequency, ControlTemplate } from './template';

/**
 * Type II sample sizes by how often a control operates, as the widely used AICPA-style
 * guidance tabulates them: a control that operates more often yields a larger population,
 * so more occurrences are examined. Used when a control's template sets no `sampling.size`.
 */
export const SAMPLE_SIZE_BY_FREQUENCY: Readonly<Record<ControlFrequency, number>> = {
  annual: 1,
  quarterly: 2,
  monthly: 2,
  weekly: 5,
  daily: 25,
  'multiple-times-per-day': 25,
  'per-event': 25,
};

/** The sample size when a control states neither a size nor a frequency. */
export const DEFAULT_SAMPLE_SIZE = 25;

/** Why a sample has its size: the template's own number, the control's frequency, or the default. */
export type SampleBasis =
  { readonly by: 'template' } | { readonly by: 'frequency'; readonly frequency: ControlFrequency } | { readonly by: 'default' };

/** The planned sample size of a control (before capping at the population) and its basis. */
export function plannedSample(control: ControlTemplate): { readonly size: number; readonly basis: SampleBasis } {
  if (control.sampling) return { size: control.sampling.size, basis: { by: 'template' } };
  if (control.frequency)
    return { size: SAMPLE_SIZE_BY_FREQUENCY[control.frequency], basis: { by: 'frequency', frequency: control.frequency } };
  return { size: DEFAULT_SAMPLE_SIZE, basis: { by: 'default' } };
}
