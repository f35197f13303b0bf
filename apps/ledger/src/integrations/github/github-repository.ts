import { PayloadReader } from '../payload-reader';

/** The repository a delivery is about, named the way the ledger's change ids name it. */
export interface GithubRepository {
  /** Host and owner/name, lowercased (GitHub treats them case-insensitively): `github.com/acme/pay`. */
  readonly locator: string;
  /** The event source: the repository's URL, `https://github.com/acme/pay`. */
  readonly source: string;
  /** Who vouches for the identities in the delivery: the GitHub instance, `https://github.com`. */
  readonly issuer: string;
}

const OWNER_AND_NAME = /^\/[^/]+\/[^/]+$/;

// From `repository.html_url`, so GitHub Enterprise Server hosts keep their own name.
export function repositoryOf(r: PayloadReader): GithubRepository | undefined {
  const htmlUrl = r.text('repository.html_url', { max: 512 });
  if (htmlUrl === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(htmlUrl);
  } catch {
    return r.violate('repository.html_url', 'must be the repository URL');
  }
  const path = url.pathname.replace(/\/+$/, '');
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !OWNER_AND_NAME.test(path)) {
    return r.violate('repository.html_url', 'must be the repository URL, e.g. https://github.com/acme/pay');
  }
  const locator = `${url.host}${path}`.toLowerCase();
  return { locator, source: `${url.protocol}//${locator}`, issuer: url.origin.toLowerCase() };
}

/** A pull request's change id, as docs/design.md writes it: `github.com/acme/pay#482`. */
export const pullRequestChangeId = (repo: GithubRepository, number: number): string => `${repo.locator}#${number}`;

/** A branch's change id, for pushes, which belong to no pull request: `github.com/acme/pay@main`. */
export const branchChangeId = (repo: GithubRepository, branch: string): string => `${repo.locator}@${branch}`;
