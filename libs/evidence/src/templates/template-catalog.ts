import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { EvidenceTemplate, TemplateError, validateTemplate } from '@evidence-ledger/core';

/** The templates shipped with the ledger (`evidence-templates/` at the repository root). */
export const BUILT_IN_TEMPLATES_DIR = resolve(__dirname, '../../../../evidence-templates');

/**
 * The frameworks a ledger can build packs for: the built-in templates plus a customer's
 * own directory (`LEDGER_TEMPLATES_DIR`), each file validated when loaded. A bad file fails
 * the load with its name and the field at fault; a framework id defined twice is refused.
 */
export class TemplateCatalog {
  private constructor(private readonly templates: ReadonlyMap<string, EvidenceTemplate>) {}

  static load(directories: readonly string[] = [BUILT_IN_TEMPLATES_DIR]): TemplateCatalog {
    const byFramework = new Map<string, { template: EvidenceTemplate; file: string }>();
    for (const dir of directories) {
      for (const name of readdirSync(dir).sort()) {
        if (!['.yaml', '.yml', '.json'].includes(extname(name))) continue;
        const file = join(dir, name);
        const template = loadTemplateFile(file);
        const known = byFramework.get(template.framework);
        if (known) throw new TemplateError(file, 'framework', `framework ${template.framework} is already defined by ${known.file}`);
        byFramework.set(template.framework, { template, file });
      }
    }
    return new TemplateCatalog(new Map([...byFramework].map(([k, v]) => [k, v.template])));
  }

  /**
   * The built-in templates (when the installation carries them), plus a customer's directory
   * (`LEDGER_TEMPLATES_DIR`) when given — one that must exist and hold only valid templates.
   */
  static standard(customDirectory?: string): TemplateCatalog {
    const builtIn = existsSync(BUILT_IN_TEMPLATES_DIR) ? [BUILT_IN_TEMPLATES_DIR] : [];
    return TemplateCatalog.load(customDirectory ? [...builtIn, resolve(customDirectory)] : builtIn);
  }

  get(framework: string): EvidenceTemplate | undefined {
    return this.templates.get(framework);
  }

  frameworks(): string[] {
    return [...this.templates.keys()].sort();
  }
}

/** Parses (YAML or JSON) and validates one template file. */
export function loadTemplateFile(file: string): EvidenceTemplate {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TemplateError(file, '(file)', `not readable YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateTemplate(parsed, file);
}
