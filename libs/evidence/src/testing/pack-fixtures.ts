import { inflateSync } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync, Zippable } from 'fflate';
import { parsePublicKeys, Signer } from '@evidence-ledger/signing';
import { LedgerStore } from '@evidence-ledger/store';
import { Ledger } from '@evidence-ledger/ledger';
import { GOVERNANCE_SETTINGS_TYPE } from '@evidence-ledger/core';
import { PackTrust } from '@evidence-ledger/verify';
import { CloudEvent } from '@evidence-ledger/samples';
import { DemoScenario } from '@evidence-ledger/samples';

/** A ledger clock that ticks one second per call from `start`, so recordedAt is reproducible. */
export function tickingClock(start = '2026-10-01T08:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

export function ledgerWithClock(store: LedgerStore, signer: Signer, clock = tickingClock()): Ledger {
  return new Ledger({ store, signer, originPrefix: 'ledger.test', clock });
}

export async function appendAll(ledger: Ledger, tenant: string, events: readonly CloudEvent[], chunk = 40): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) await ledger.append(tenant, 'producer-1', events.slice(i, i + chunk));
}

export function trustOf(signer: Signer): PackTrust {
  return { noteKeys: parsePublicKeys(signer.publicKeyPem()), rawKeys: [signer.publicKey] };
}

const isBadSettings = (e: CloudEvent) =>
  e.type === GOVERNANCE_SETTINGS_TYPE && typeof (e.data as Record<string, unknown>).allowedModels === 'string';

/** The scenario's events of clean changes only (plus tenant-wide events, without the malformed settings). */
export function cleanEvents(s: DemoScenario): CloudEvent[] {
  return s.events.filter((e) => !isBadSettings(e) && (e.changeid === undefined || s.clean.includes(String(e.changeid))));
}

/** The clean events plus the events that plant one rule's exception. */
export function withPlanted(s: DemoScenario, rule: string): CloudEvent[] {
  const planted = s.planted.find((p) => p.rule === rule);
  return s.events.filter(
    (e) =>
      (e.changeid === undefined && (!isBadSettings(e) || rule === 'invalid-governance-settings')) ||
      s.clean.includes(String(e.changeid)) ||
      (planted?.changeId !== undefined && e.changeid === planted.changeId),
  );
}

/** The pack with `file` rewritten by `edit` (the zip rebuilt around it). */
export function tamper(zip: Uint8Array, file: string, edit: (bytes: Uint8Array) => Uint8Array): Buffer {
  const files = unzipSync(zip);
  if (!files[file]) throw new Error(`no ${file} in the pack`);
  files[file] = new Uint8Array(edit(files[file]));
  const z: Zippable = {};
  for (const [k, v] of Object.entries(files)) z[k] = v;
  return Buffer.from(zipSync(z));
}

/** Flips the lowest bit of the byte at `offset` (negative counts from the end). */
export const flipByte =
  (offset: number) =>
  (bytes: Uint8Array): Uint8Array => {
    const copy = new Uint8Array(bytes);
    const i = offset < 0 ? copy.length + offset : offset;
    copy[i] ^= 0x01;
    return copy;
  };

/** Replaces the first occurrence of `from` with `to` in a text file. */
export const replaceText =
  (from: string, to: string) =>
  (bytes: Uint8Array): Uint8Array => {
    const text = strFromU8(bytes);
    if (!text.includes(from)) throw new Error(`${from} not found`);
    return strToU8(text.replace(from, to));
  };

export function packFile(zip: Uint8Array, file: string): string {
  return strFromU8(unzipSync(zip)[file]);
}

/**
 * The text runs of a PDF that pdfkit wrote (its deflated content streams, `[<hex>…] TJ`
 * arrays with the standard fonts' single-byte encoding), one per line as drawn: what an
 * auditor reads, for tests that check the report says what it should.
 */
export function pdfTextRuns(pdf: Uint8Array): string[] {
  const bytes = Buffer.from(pdf);
  const text = bytes.toString('latin1');
  const runs: string[] = [];
  const streams = /stream\r?\n/g;
  for (let m = streams.exec(text); m; m = streams.exec(text)) {
    const start = m.index + m[0].length;
    let body: string;
    try {
      body = inflateSync(bytes.subarray(start, text.indexOf('endstream', start))).toString('latin1');
    } catch {
      continue; // not a deflated content stream (fonts, images)
    }
    for (const tj of body.matchAll(/\[(.*?)\] TJ/g))
      runs.push([...tj[1].matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''));
  }
  return runs;
}
