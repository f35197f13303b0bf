/** Why a template was refused: the file it came from and the field at fault, by path. */
export class TemplateError extends Error {
  readonly code = 'INVALID_TEMPLATE';

  constructor(
    /** Where the template came from (a file name), as given to `validateTemplate`. */
    readonly source: string,
    /** The field at fault, e.g. `controls[3].tests[0].maxSeverity`. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${source}: ${field}: ${problem}`);
    this.name = 'TemplateError';
  }
}
