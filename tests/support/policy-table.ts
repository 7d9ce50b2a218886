/**
 * API.md's Access table made exact: one entry per root field of the schema. The authorization matrix
 * (tests/api/authz-matrix.test.ts) calls every operation as every caller on three target units and
 * compares the answer with what this table says; an operation missing here fails the matrix.
 *
 * Callers: the five roles (seeded Tam Đường users), an API key for the Tam Đường subtree, and anonymous.
 * Target units, relative to the caller's scope root: `own` (the scope root itself), `child` (a unit
 * below it) and `sibling` (a unit next to it, outside the scope). ADMIN is unscoped: all three are its.
 */
export const CALLERS = ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER', 'API_KEY', 'ANONYMOUS'] as const;
export type CallerName = (typeof CALLERS)[number];
export const POSITIONS = ['own', 'child', 'sibling'] as const;
export type UnitPosition = (typeof POSITIONS)[number];

/**
 * What a call answers:
 * - `OK`: the access checks let it through (any answer but UNAUTHENTICATED, FORBIDDEN, NOT_FOUND;
 *   a builder may list further codes its arguments legitimately meet, e.g. CONFLICT on a replay);
 * - `VALUE`: a lookup that answers the record (non-null, no error);
 * - `NULL`: a lookup that answers null (outside the scope: not refused, not revealed);
 * - a refusal code.
 */
export type Outcome = 'OK' | 'VALUE' | 'NULL' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

export interface OperationPolicy {
  kind: 'query' | 'mutation';
  /** Who passes the access rule and the service's role check; 'SIGNED_IN' = the five roles; API keys are listed explicitly. */
  callers: readonly CallerName[] | 'SIGNED_IN' | 'SIGNED_IN_AND_KEY' | 'PUBLIC';
  /** Answer of an allowed caller inside its scope (default OK). */
  inScope?: Outcome;
  /**
   * Answer of an allowed, scoped caller (not ADMIN) on the sibling unit. Absent: the operation takes no
   * unit (reference data, the caller's own account), so all three positions answer alike.
   */
  outOfScope?: Outcome;
  /**
   * A caller whose role passes the access rule but whose service check sits behind the record lookup
   * (funding: SIGNED_IN at the resolver, the role checked in the service): refused outside the scope
   * with NOT_FOUND (the record is not revealed) rather than FORBIDDEN.
   */
  refusedOutOfScope?: Outcome;
  /** Exact answers that differ for one caller on one unit, each with its reason in API.md. */
  except?: Partial<Record<CallerName, Partial<Record<UnitPosition, Outcome>>>>;
}

const ROLES = ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'] as const;
const ADMIN = ['ADMIN'] as const;
const ADMIN_COORD = ['ADMIN', 'COORDINATOR'] as const;
const MONITORS = ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER'] as const;
const WRITERS = ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER'] as const;

/** Reference data: every signed-in caller and API keys, whatever the unit. */
const reference: OperationPolicy = { kind: 'query', callers: 'SIGNED_IN_AND_KEY' };
/** A list of unit-tied records filtered `underUnit`: a filter beyond the scope is narrowed, not refused. */
const scopedList: OperationPolicy = { kind: 'query', callers: 'SIGNED_IN_AND_KEY', outOfScope: 'OK' };
/** A lookup of a unit-tied record: null outside the scope. */
const scopedLookup: OperationPolicy = { kind: 'query', callers: 'SIGNED_IN_AND_KEY', inScope: 'VALUE', outOfScope: 'NULL' };
const adminOnly: OperationPolicy = { kind: 'mutation', callers: ADMIN };

export const POLICY: Record<string, OperationPolicy> = {
  // --- Queries ---
  units: reference,
  unit: { kind: 'query', callers: 'SIGNED_IN_AND_KEY', inScope: 'VALUE', outOfScope: 'VALUE' }, // units are reference data
  unitByCode: { kind: 'query', callers: 'SIGNED_IN_AND_KEY', inScope: 'VALUE', outOfScope: 'VALUE' },
  programs: reference,
  program: { ...reference, inScope: 'VALUE' },
  reportingUnits: reference,
  deadlineRules: reference,
  programComponents: reference,
  programComponent: { ...reference, inScope: 'VALUE' },
  me: reference,
  users: { kind: 'query', callers: ADMIN_COORD, outOfScope: 'OK' },
  user: { kind: 'query', callers: ADMIN_COORD, inScope: 'VALUE', outOfScope: 'NULL' },
  apiKeys: { kind: 'query', callers: ADMIN },
  auditEvents: { kind: 'query', callers: ADMIN_COORD },
  calendarDays: reference,
  workingDaysAfter: reference,
  reportingObligations: scopedList,
  reportingObligation: scopedLookup,
  myDeadlines: { kind: 'query', callers: 'SIGNED_IN' },
  reportingCompleteness: scopedList,
  reports: scopedList,
  report: scopedLookup,
  fundingAllocations: scopedList,
  fundingAllocation: scopedLookup,
  fundingSummary: scopedList,
  disbursements: scopedList,
  indicators: reference,
  indicator: { ...reference, inScope: 'VALUE' },
  indicatorProgress: scopedList,
  indicatorTargets: scopedList,
  indicatorTarget: scopedLookup,
  indicatorValues: scopedList,
  indicatorValue: scopedLookup,
  monitoringPlans: scopedList,
  monitoringPlan: scopedLookup,
  missions: scopedList,
  mission: scopedLookup,
  plannedMissions: scopedList,
  findings: scopedList,
  finding: scopedLookup,
  recommendations: scopedList,
  recommendation: scopedLookup,

  // --- Mutations: reference data (ADMIN; the coordinator for its district's lead agencies and reporting units) ---
  createUnit: adminOnly,
  updateUnit: adminOnly,
  archiveUnit: adminOnly,
  setDistrictAgency: adminOnly,
  createProgram: adminOnly,
  updateProgram: adminOnly,
  archiveProgram: adminOnly,
  addReportingUnit: { kind: 'mutation', callers: ADMIN_COORD, outOfScope: 'FORBIDDEN' },
  removeReportingUnit: { kind: 'mutation', callers: ADMIN_COORD, outOfScope: 'FORBIDDEN' },
  createDeadlineRule: adminOnly,
  updateDeadlineRule: adminOnly,
  archiveDeadlineRule: adminOnly,
  createProgramComponent: adminOnly,
  updateProgramComponent: adminOnly,
  archiveProgramComponent: adminOnly,
  assignLeadAgency: { kind: 'mutation', callers: ADMIN_COORD, outOfScope: 'FORBIDDEN' },
  setCalendarDay: adminOnly,
  removeCalendarDay: adminOnly,
  createIndicator: adminOnly,
  updateIndicator: adminOnly,
  archiveIndicator: adminOnly,

  // --- Identity ---
  login: { kind: 'mutation', callers: 'PUBLIC' },
  logout: { kind: 'mutation', callers: 'SIGNED_IN' },
  changePassword: { kind: 'mutation', callers: 'SIGNED_IN' },
  resetPassword: adminOnly,
  createUser: adminOnly,
  updateUser: adminOnly,
  createApiKey: adminOnly,
  revokeApiKey: adminOnly,

  // --- Reporting ---
  generateObligations: { kind: 'mutation', callers: ADMIN_COORD, outOfScope: 'OK' }, // underUnit beyond the scope is narrowed
  createObligation: { kind: 'mutation', callers: MONITORS, outOfScope: 'FORBIDDEN' },
  cancelObligation: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND' },
  // "A report is written by users whose home unit is its submitter, and, for an administrative submitter
  // (a district), by that district's COORDINATORs": an agency officer writes neither the district's nor a
  // commune's report, a coordinator not a commune's.
  saveReport: {
    kind: 'mutation',
    callers: WRITERS,
    outOfScope: 'NOT_FOUND',
    except: { AGENCY_OFFICER: { own: 'FORBIDDEN', child: 'FORBIDDEN' }, COORDINATOR: { child: 'FORBIDDEN' } },
  },
  submitReport: {
    kind: 'mutation',
    callers: WRITERS,
    outOfScope: 'NOT_FOUND',
    except: { AGENCY_OFFICER: { own: 'FORBIDDEN', child: 'FORBIDDEN' }, COORDINATOR: { child: 'FORBIDDEN' } },
  },
  // "an officer of any recipient unit may review": a commune is never a recipient of its own report.
  returnReport: {
    kind: 'mutation',
    callers: WRITERS,
    outOfScope: 'NOT_FOUND',
    except: { COMMUNE_OFFICER: { own: 'FORBIDDEN', child: 'FORBIDDEN' } },
  },
  acceptReport: {
    kind: 'mutation',
    callers: WRITERS,
    outOfScope: 'NOT_FOUND',
    except: { COMMUNE_OFFICER: { own: 'FORBIDDEN', child: 'FORBIDDEN' } },
  },

  // --- Funding (COMMUNE_OFFICER: no funding writes; VIEWER: nothing) ---
  createFundingAllocation: { kind: 'mutation', callers: MONITORS, outOfScope: 'FORBIDDEN' },
  reviseFundingAllocation: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND', refusedOutOfScope: 'NOT_FOUND' },
  recordDisbursement: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND', refusedOutOfScope: 'NOT_FOUND' },

  // --- Indicators (the record a target or value would be is hidden outside the scope) ---
  setIndicatorTarget: { kind: 'mutation', callers: ADMIN_COORD, outOfScope: 'NOT_FOUND' },
  recordIndicatorValue: { kind: 'mutation', callers: ['ADMIN', 'COORDINATOR', 'COMMUNE_OFFICER'], outOfScope: 'NOT_FOUND' },

  // --- Monitoring ---
  createMonitoringPlan: { kind: 'mutation', callers: ADMIN_COORD, outOfScope: 'FORBIDDEN' },
  createMission: { kind: 'mutation', callers: MONITORS, outOfScope: 'FORBIDDEN' },
  updateMission: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND' },
  startMission: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND' },
  cancelMission: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND' },
  completeMission: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND' },
  createFinding: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND' },
  createRecommendation: { kind: 'mutation', callers: MONITORS, outOfScope: 'NOT_FOUND' },
  updateRecommendation: { kind: 'mutation', callers: WRITERS, outOfScope: 'NOT_FOUND' },

  // --- Import and export (exports are reads: every user; API keys are read-only, mutations refused) ---
  importFile: { kind: 'mutation', callers: WRITERS },
  exportList: { kind: 'mutation', callers: 'SIGNED_IN' },
  exportReport: { kind: 'mutation', callers: 'SIGNED_IN', outOfScope: 'NOT_FOUND' },
};

const isRole = (c: CallerName) => (ROLES as readonly string[]).includes(c);

/** The answer the table promises for a caller on a target unit. */
export function expectedOutcome(p: OperationPolicy, caller: CallerName, pos: UnitPosition): Outcome {
  const allowed =
    p.callers === 'PUBLIC' ||
    (p.callers === 'SIGNED_IN' && isRole(caller)) ||
    (p.callers === 'SIGNED_IN_AND_KEY' && caller !== 'ANONYMOUS') ||
    (Array.isArray(p.callers) && p.callers.includes(caller));
  const special = p.except?.[caller]?.[pos];
  if (special) return special;
  if (!allowed) {
    if (caller === 'ANONYMOUS') return 'UNAUTHENTICATED';
    if (pos === 'sibling' && p.refusedOutOfScope && isRole(caller) && p.callers !== 'SIGNED_IN') return p.refusedOutOfScope;
    return 'FORBIDDEN';
  }
  if (pos === 'sibling' && caller !== 'ADMIN' && p.outOfScope) return p.outOfScope;
  return p.inScope ?? 'OK';
}
