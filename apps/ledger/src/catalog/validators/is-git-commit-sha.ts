import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, ValidationOptions } from 'class-validator';

/** A full SHA-1 git object name, lowercase, as `git rev-parse` prints it. */
export const GIT_COMMIT_SHA = /^[0-9a-f]{40}$/;

// Full, lowercase commit names only: abbreviated SHAs are ambiguous, and timelines join
// scans, reviews and merges on the exact string.
export function IsGitCommitSha(options: Pick<ValidationOptions, 'each'> = {}): PropertyDecorator {
  return applyDecorators(
    IsString({ ...options, message: 'must be a string' }),
    Matches(GIT_COMMIT_SHA, { ...options, message: 'must be a full 40-hex-digit lowercase git commit SHA' }),
  );
}
