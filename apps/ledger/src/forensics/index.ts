import { ApprovalsController } from './approvals.controller';
import { ChangesController } from './changes.controller';
import { ExceptionsController } from './exceptions.controller';
import { forensicsRuntimeProvider } from './forensics-runtime';
import { InventoryController } from './inventory.controller';
import { ProjectAppendedEntriesHandler } from './project-appended-entries.handler';
import { ProjectionsController } from './projections.controller';
import { SpendController } from './spend.controller';

/** The forensic read side: controllers, the projection host and what wakes it after a commit (docs/forensics.md). */
export const FORENSICS_CONTROLLERS = [
  ChangesController,
  ExceptionsController,
  InventoryController,
  ApprovalsController,
  SpendController,
  ProjectionsController,
];
export const FORENSICS_PROVIDERS = [forensicsRuntimeProvider, ProjectAppendedEntriesHandler];
