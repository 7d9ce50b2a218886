import type { AccessControlProvider } from '@refinedev/core';
import { currentUser, type Role } from './auth-provider';

/**
 * Mirrors API.md's Access table so menus and buttons match what the server allows.
 * The server still decides: a refused call shows its FORBIDDEN message.
 */
const WRITERS: Record<string, Role[]> = {
  units: ['ADMIN'],
  programs: ['ADMIN'],
  programComponents: ['ADMIN'],
  users: ['ADMIN'],
  fundingAllocations: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
  monitoringPlans: ['ADMIN', 'COORDINATOR'],
  missions: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
  indicators: ['ADMIN'],
  calendar: ['ADMIN'],
  // The report editor: the server decides whose unit's report it is.
  reports: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER'],
};

/** Who sees a resource at all (reference data is readable by every signed-in caller). */
const READERS: Record<string, Role[]> = {
  users: ['ADMIN'],
  auditEvents: ['ADMIN', 'COORDINATOR'],
  reviewQueue: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
};

/** Per-program actions that are not plain CRUD. */
const ACTIONS: Record<string, Role[]> = {
  assignLeadAgency: ['ADMIN', 'COORDINATOR'],
  reportingUnits: ['ADMIN', 'COORDINATOR'],
  deadlineRules: ['ADMIN'],
  reviseAllocation: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
  recordDisbursement: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
  missionTransition: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
  createFinding: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
  createRecommendation: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
  updateRecommendation: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER'],
  writeReport: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER'],
  reviewReport: ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'],
  generateObligations: ['ADMIN', 'COORDINATOR'],
  setIndicatorTarget: ['ADMIN', 'COORDINATOR'],
  recordIndicatorValue: ['ADMIN', 'COORDINATOR', 'COMMUNE_OFFICER'],
  setCalendarDay: ['ADMIN'],
};

export function allowed(role: Role, resource: string | undefined, action: string): boolean {
  if (ACTIONS[action]) return ACTIONS[action].includes(role);
  if (!resource) return true;
  const readers = READERS[resource];
  if (readers && !readers.includes(role)) return false;
  if (action === 'list' || action === 'show') return true;
  return (WRITERS[resource] ?? []).includes(role);
}

export const accessControlProvider: AccessControlProvider = {
  async can({ resource, action }) {
    try {
      const me = await currentUser();
      return allowed(me.role, resource, action) ? { can: true } : { can: false, reason: 'role' };
    } catch {
      return { can: false };
    }
  },
  options: { buttons: { enableAccessControl: true, hideIfUnauthorized: true } },
};
