import { isPathInScope } from './agent-scope';

describe('agent scope paths', () => {
  it.each([
    ['src/payments/refund.ts', ['src/payments/**']],
    ['src/payments/deep/a/b.ts', ['src/payments/**']],
    ['./src/payments/refund.ts', ['src/payments/**']],
    ['src/payments', ['src/payments/**']],
    ['README.md', ['*.md']],
    ['docs/a.md', ['docs/?.md']],
    ['test/x.spec.ts', ['src/**', 'test/**']],
  ])('lets %s through %j', (path, globs) => expect(isPathInScope(path, globs)).toBe(true));

  it.each([
    ['src/payments-old/a.ts', ['src/payments/**']],
    ['infra/terraform/prod.tf', ['src/payments/**', 'test/**']],
    ['src/payments/../../etc/passwd', ['src/payments/**']],
    ['docs/sub/a.md', ['docs/*.md']],
    ['docs/ab.md', ['docs/?.md']],
    ['src/payments/a.ts', []],
  ])('keeps %s out of %j', (path, globs) => expect(isPathInScope(path, globs)).toBe(false));
});
