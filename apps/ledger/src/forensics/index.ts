import { ApprovalsController } from './approvals.controller';
import { ChangesController } from './changes.controller';
import { ExceptionsController } from './exceptions.controller';
import { forensicsRuntimeProvider } from './forensics-runtime';
import { InventoryController } from './inventory.controller';
import { ProjectionsController } from './projections.controller';
import { FORENSICS_QUERY_HANDLERS } from './queries';
import { SpendController } from './spend.controller';

/** The forensic read side: controllers, the projection host and the query handlers (docs/forensics.md). */
export const FORENSICS_CONTROLLERS = [
  ChangesController,
  ExceptionsController,
  InventoryController,
  ApprovalsController,
  SpendController,
  ProjectionsController,
];
export const FORENSICS_PROVIDERS = [forensicsRuntimeProvider, ...FORENSICS_QUERY_HANDLERS];
