/** Why a piece of evidence did not verify, in words an auditor can act on. */
export class VerificationFailure extends Error {
  override readonly name = 'VerificationFailure';
}
