import { Actor } from '@evidence-ledger/core';
import { PayloadReader } from '../payload-reader';
import { GithubRepository } from './github-repository';

/** A GitHub account as a delivery names it. */
export interface GithubUser {
  /** The login, as GitHub shows it: the id every GitHub event in the ledger uses for a person. */
  readonly login: string;
  /** GitHub's numeric account id, which survives a rename. */
  readonly accountId?: number;
  /** A GitHub App or other bot account (`type: "Bot"`). */
  readonly bot: boolean;
}

export function userAt(r: PayloadReader, path: string): GithubUser | undefined {
  const login = r.text(`${path}.login`, { max: 256 });
  const id = r.value(`${path}.id`);
  if (login === undefined) return undefined;
  return { login, bot: r.value(`${path}.type`) === 'Bot', ...(Number.isSafeInteger(id) && { accountId: id as number }) };
}

/** The envelope's `actor`: a person, or a bot as a service. */
export const actorOf = (user: GithubUser, repo: GithubRepository): Actor => ({
  kind: user.bot ? 'service' : 'human',
  id: user.login,
  issuer: repo.issuer,
});

/** A catalog principal (`mergedBy`, `triggeredBy`). */
export const principalOf = (user: GithubUser) => ({ kind: user.bot ? 'service' : 'human', id: user.login }) as const;

/** A change author: only a person or an agent may write code, so a bot account counts as an agent. */
export const changeAuthorOf = (user: GithubUser) => ({ kind: user.bot ? 'agent' : 'human', id: user.login }) as const;

/** Envelope extension carrying the acting account's numeric id, when the delivery has it. */
export const accountIdExtension = (user: GithubUser) => (user.accountId === undefined ? {} : { githubactorid: user.accountId });
