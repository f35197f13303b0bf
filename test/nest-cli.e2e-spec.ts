import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// nest-cli.json describes the monorepo to the Nest CLI (`npx nest build ledger`, `npx nest start
// ledger`): every project must point at a tsconfig and an entry file that exist, and the
// default project must be the service that `npm start` runs.

interface NestProject {
  type: 'application' | 'library';
  root: string;
  sourceRoot: string;
  entryFile: string;
  compilerOptions?: { tsConfigPath?: string };
}

const root = join(__dirname, '..');
const config = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as {
  monorepo: boolean;
  root: string;
  sourceRoot: string;
  projects: Record<string, NestProject>;
};
// The auditor's console is a browser app that Vite builds (apps/console): no Nest project.
const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces.filter(
  (dir) => dir !== 'apps/console',
);

describe('nest-cli.json', () => {
  it('is a monorepo whose default project is the ledger service', () => {
    expect(config.monorepo).toBe(true);
    expect(config.projects.ledger).toMatchObject({ type: 'application', root: config.root, sourceRoot: config.sourceRoot });
  });

  it('lists every workspace package as a project, with its tsconfig and entry file present', () => {
    const roots = Object.values(config.projects)
      .map((p) => p.root)
      .sort();
    expect(roots).toEqual([...workspaces].sort());
    for (const [name, project] of Object.entries(config.projects)) {
      expect([name, existsSync(join(root, project.sourceRoot, `${project.entryFile}.ts`))]).toEqual([name, true]);
      expect([name, existsSync(join(root, project.compilerOptions?.tsConfigPath ?? 'missing'))]).toEqual([name, true]);
    }
  });
});
