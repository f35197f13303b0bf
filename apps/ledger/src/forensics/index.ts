import { ApprovalsController } from './approvals.controller';
import { ChangesController } from './changes.controller';
import { ExceptionsController } from './exceptions.controller';
import { forensicsRuntimeProvider } from './forensics-runtime';
import { FollowAppendedEntriesHandler } from './follow-appended-entries.handler';
import { ForensicsStatusController } from './forensics-status.controller';
import { InventoryController } from './inventory.controller';
import { SpendController } from './spend.controller';

/** Forensics in the service: its controllers, the projection host and what wakes it after a commit (docs/forensics.md). */
export const FORENSICS_CONTROLLERS = [
  ChangesController,
  ExceptionsController,
  InventoryController,
  ApprovalsController,
  SpendController,
  ForensicsStatusController,
];
export const FORENSICS_PROVIDERS = [forensicsRuntimeProvider, FollowAppendedEntriesHandler];
