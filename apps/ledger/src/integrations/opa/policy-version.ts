import { isPlainObject } from '@evidence-ledger/core';
import { PayloadReader } from '../payload-reader';

/** What stands for the policy version when OPA evaluated policy loaded outside any bundle. */
export const UNVERSIONED = 'unversioned';

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX = 256;

export interface PolicyVersion {
  readonly policyVersion: string;
  /** Set when the one bundle's revision is itself a SHA-256 digest (as OCI bundle revisions are). */
  readonly bundleDigest?: string;
}

// The version of the policy that decided, from the revisions of the bundles OPA had loaded:
// one bundle → its revision; several → `name@revision` pairs by name, joined with ", ";
// OPA before v0.13 sent a single top-level `revision`. No revision at all → "unversioned".
export function policyVersionOf(event: PayloadReader): PolicyVersion | undefined {
  const bundles = event.value('bundles');
  const revisions: [string, string][] = [];
  if (bundles !== undefined && bundles !== null) {
    if (!isPlainObject(bundles)) return event.violate('bundles', 'must be an object of bundle names to {revision}');
    for (const name of Object.keys(bundles).sort()) {
      const revision = isPlainObject(bundles[name]) ? bundles[name].revision : undefined;
      if (revision === undefined || revision === null || revision === '') continue;
      if (typeof revision !== 'string' || revision.length > MAX) {
        event.violate(
          'bundles',
          `the revision of bundle ${JSON.stringify(name.slice(0, 64))} must be a string of at most ${MAX} characters`,
        );
      } else revisions.push([name, revision]);
    }
  } else {
    const legacy = event.optionalText('revision', { max: MAX });
    if (legacy !== undefined) revisions.push(['', legacy]);
  }
  if (revisions.length === 0) return { policyVersion: UNVERSIONED };
  if (revisions.length === 1) {
    const [, revision] = revisions[0];
    return { policyVersion: revision, ...(SHA256_DIGEST.test(revision) && { bundleDigest: revision }) };
  }
  const joined = revisions.map(([name, revision]) => `${name}@${revision}`).join(', ');
  if (joined.length > MAX) return event.violate('bundles', `the bundle revisions together must be at most ${MAX} characters`);
  return { policyVersion: joined };
}
