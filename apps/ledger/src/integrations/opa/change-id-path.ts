import { isPlainObject, LIMITS } from '@evidence-ledger/core';
import { HttpProblem } from '../../http/http-problem';

/** The request header naming where in a decision's input the change id sits, e.g. `change.id`. */
export const CHANGE_ID_PATH_HEADER = 'x-ledger-changeid-path';

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_SEGMENTS = 16;

// Parses the header: dotted member names inside `input` (a leading `input.` is allowed and
// dropped). Absent: decisions carry no change id — nothing from the input reaches the log
// unless the operator names it.
export function parseChangeIdPath(header: string | string[] | undefined): readonly string[] | undefined {
  const text = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!text) return undefined;
  const segments = text.replace(/^input\./, '').split('.');
  if (segments.length > MAX_SEGMENTS || !segments.every((s) => SEGMENT.test(s))) {
    throw new HttpProblem(400, 'INVALID_ENVELOPE', `header ${CHANGE_ID_PATH_HEADER} must be a dotted path into the input, e.g. change.id`, [
      {
        path: CHANGE_ID_PATH_HEADER,
        message: `must be at most ${MAX_SEGMENTS} member names of letters, digits, "_" or "-", joined by "."`,
      },
    ]);
  }
  return segments;
}

// The change id at `path` inside `input`: a non-empty string within the envelope's attribute
// cap, else none (a decision about something that is not a change).
export function changeIdAt(input: unknown, path: readonly string[] | undefined): string | undefined {
  if (!path) return undefined;
  let node = input;
  for (const key of path) {
    if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
  }
  return typeof node === 'string' && node.length > 0 && node.length <= LIMITS.maxAttributeLength ? node : undefined;
}
