import { TemplateError } from './template-error';

export type Obj = Record<string, unknown>;

// Reads fields and fails with the source and the field's full path.
export class FieldReader {
  constructor(private readonly source: string) {}

  fail(field: string, problem: string): never {
    throw new TemplateError(this.source, field, problem);
  }

  object(value: unknown, path: string): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'must be an object');
    return value as Obj;
  }

  only(o: Obj, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(o))
      if (!allowed.includes(key)) this.fail(join(path, key), `unknown field; allowed: ${allowed.join(', ')}`);
  }

  string(o: Obj, field: string, path = ''): string {
    const v = o[field];
    if (typeof v !== 'string' || v.trim() === '') this.fail(join(path, field), 'must be a non-empty string');
    return v;
  }

  optionalString(o: Obj, field: string, path = ''): string | undefined {
    return o[field] === undefined ? undefined : this.string(o, field, path);
  }

  stringList(o: Obj, path: string, field: string): string[] {
    const v = o[field];
    if (!Array.isArray(v)) this.fail(join(path, field), 'must be a list of strings');
    v.forEach((x, i) => {
      if (typeof x !== 'string' || x === '') this.fail(`${join(path, field)}[${i}]`, 'must be a non-empty string');
    });
    return [...(v as string[])];
  }

  integer(o: Obj, path: string, field: string, min: number, max: number): number {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      this.fail(join(path, field), `must be a whole number from ${min} to ${max}`);
    return v;
  }
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}
