/** Why a signing key could not be loaded or created. Malformed public keys are core's KEY_MALFORMED. */
export type SigningErrorCode =
  /** The private key file is readable or writable by group or others (must be 0600). */
  | 'KEY_FILE_INSECURE'
  /** The file is not a PKCS#8 PEM Ed25519 private key, or not a regular file. */
  | 'KEY_FILE_INVALID'
  /** A key file could not be read or written (permissions, missing file or directory, disk). */
  | 'KEY_FILE_UNAVAILABLE';

// Thrown by local key handling: a typed code for the CLI/server, the file path in the message.
export class SigningError extends Error {
  constructor(
    readonly code: SigningErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SigningError';
  }
}
