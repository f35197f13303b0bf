import type { CatalogEventType } from '@evidence-ledger/core';
import type { CatalogEventData, ChangeOpenedData, DeploymentCompletedData } from './generated/catalog-data';

/**
 * The `data` of every typed event of the v1 catalog (docs/event-catalog.md), field for field
 * as `schemas/<type>.schema.json` defines it and the ledger validates it: the types are
 * generated from those schemas (`npm run catalog`). The ledger rejects unknown fields and
 * explicit `null`s: leave an optional field out instead.
 */
export * from './generated/catalog-data';

/** The fields every `change.*` event carries. */
export type ChangeData = ChangeOpenedData;

/** The fields every `deployment.*` event carries. */
export type DeploymentData = DeploymentCompletedData;

// Fails to compile if the map and the ledger's catalog ever disagree.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const CATALOG_DATA_COVERS_CATALOG: Exactly<keyof CatalogEventData, CatalogEventType> = true;

/** A producer's own event type, outside the catalog: dotted lowercase under `x.`. */
export type ExtensionEventType = `x.${string}`;

/**
 * The type of a tenant's governance settings event (allow-list, required scans, deployments
 * that need approval). Only an admin key may record it; the ledger records that role on the
 * entry as the `producerrole` extension, which this client declares for it.
 */
export const GOVERNANCE_SETTINGS_TYPE = 'x.governance.settings.updated';

/** Management's response to a control exception: like the settings, only an admin key records it. */
export const EXCEPTION_RESPONSE_TYPE = 'exception.response.recorded';

/** The types the client declares the admin role for (`producerrole`), as the ledger stamps it. */
export const GOVERNANCE_EVENT_TYPES: readonly string[] = [GOVERNANCE_SETTINGS_TYPE, EXCEPTION_RESPONSE_TYPE];
