import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, ValidationOptions } from 'class-validator';

/** `sha256:` and 64 lowercase hex digits: the OCI / in-toto spelling of a SHA-256 digest. */
export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

// Large artefacts (prompts, SARIF, bundles) are referenced by digest, never inlined
// (docs/design.md). Lowercase only, so equal digests are equal strings in every projection.
export function IsSha256Digest(options: Pick<ValidationOptions, 'each'> = {}): PropertyDecorator {
  return applyDecorators(
    IsString({ ...options, message: 'must be a string' }),
    Matches(SHA256_DIGEST, { ...options, message: 'must be a SHA-256 digest: "sha256:" and 64 lowercase hex digits' }),
  );
}
