import { createHmac } from 'node:crypto';
import { verifyGithubSignature } from './github-signature';

// GitHub's published test vector ("Validating webhook deliveries", docs.github.com).
const SECRET = "It's a Secret to Everybody";
const BODY = Buffer.from('Hello, World!');
const SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe("verifying GitHub's X-Hub-Signature-256", () => {
  it("accepts GitHub's own example signature", () => {
    expect(verifyGithubSignature(SECRET, BODY, SIGNATURE)).toBe(true);
    expect(verifyGithubSignature(SECRET, BODY, SIGNATURE.toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
  });

  it.each<[string, string | undefined, Buffer, string | string[] | undefined]>([
    ['another secret', 'not the secret', BODY, SIGNATURE],
    ['no secret (unknown tenant)', undefined, BODY, SIGNATURE],
    ['a changed body', SECRET, Buffer.from('Hello, World?'), SIGNATURE],
    ['no header', SECRET, BODY, undefined],
    ['a SHA-1 signature', SECRET, BODY, `sha1=${createHmac('sha1', SECRET).update(BODY).digest('hex')}`],
    ['a truncated signature', SECRET, BODY, SIGNATURE.slice(0, -2)],
    ['the header twice', SECRET, BODY, [SIGNATURE, SIGNATURE]],
  ])('refuses %s', (_what, secret, body, header) => {
    expect(verifyGithubSignature(secret, body, header)).toBe(false);
  });
});
