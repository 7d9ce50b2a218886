import type { ResourceApi } from './resources';

const unitRef = '{ id code name kind }';
const componentRef = '{ id code name kind }';

/** Funding, monitoring, reporting and indicator records (API.md Core operations). */
export const PART2_RESOURCES: Record<string, ResourceApi> = {
  fundingAllocations: {
    list: 'fundingAllocations',
    one: 'fundingAllocation',
    fields: `id version year source plannedAmount allocatedAmount disbursedAmount disbursementRate decisionRef updatedAt component ${componentRef} unit ${unitRef}`,
    create: 'createFundingAllocation',
    createInput: ['componentId', 'unitId', 'year', 'source', 'plannedAmount', 'allocatedAmount', 'decisionRef'],
  },
  disbursements: {
    list: 'disbursements',
    one: 'disbursements',
    fields: `id date amount reference createdAt allocation { id year source component ${componentRef} } unit ${unitRef}`,
  },
  monitoringPlans: {
    list: 'monitoringPlans',
    one: 'monitoringPlan',
    fields: `id version year title documentRef unit ${unitRef}`,
    create: 'createMonitoringPlan',
    createInput: ['unitId', 'year', 'title', 'documentRef'],
  },
  missions: {
    list: 'missions',
    one: 'mission',
    fields: `id version title decisionRef startDate endDate status reportDueDate overlapJustification cancelReason updatedAt
      program { id code name } plan { id title } leadUnit ${unitRef} targetUnits ${unitRef} components ${componentRef}
      members { id name position role organization ${unitRef} }`,
    create: 'createMission',
    update: 'updateMission',
    createInput: [
      'programId',
      'planId',
      'leadUnitId',
      'title',
      'decisionRef',
      'startDate',
      'endDate',
      'targetUnitIds',
      'componentIds',
      'members',
      'overlapJustification',
    ],
    updateInput: [
      'planId',
      'leadUnitId',
      'title',
      'decisionRef',
      'startDate',
      'endDate',
      'targetUnitIds',
      'componentIds',
      'members',
      'overlapJustification',
    ],
  },
  findings: {
    list: 'findings',
    one: 'finding',
    fields: `id version kind description mission { id title } unit ${unitRef} component ${componentRef}`,
    create: 'createFinding',
    createInput: ['missionId', 'unitId', 'componentId', 'kind', 'description'],
  },
  recommendations: {
    list: 'recommendations',
    one: 'recommendation',
    fields: `id version content dueDate status resolution resolvedAt overdue mission { id title } finding { id description } addressee ${unitRef}`,
    create: 'createRecommendation',
    update: 'updateRecommendation',
    createInput: ['missionId', 'findingId', 'addresseeId', 'content', 'dueDate'],
    updateInput: ['status', 'resolution'],
  },
  reportingObligations: {
    list: 'reportingObligations',
    one: 'reportingObligation',
    fields: `id version type title year dueDate status daysLate program { id code } component ${componentRef} submitter ${unitRef}
      recipients ${unitRef} report { id version status title submittedAt }`,
  },
  reports: {
    list: 'reports',
    one: 'report',
    fields: `id version title status submittedAt reviewedAt returnReason obligation { id type title dueDate submitter ${unitRef} }`,
  },
  indicators: {
    list: 'indicators',
    one: 'indicator',
    fields: `id version code name unitOfMeasure measure direction aggregation archived component ${componentRef}`,
    create: 'createIndicator',
    update: 'updateIndicator',
    archive: 'archiveIndicator',
    createInput: ['code', 'name', 'unitOfMeasure', 'measure', 'direction', 'aggregation', 'componentId'],
    updateInput: ['code', 'name', 'unitOfMeasure', 'measure', 'direction', 'aggregation', 'componentId'],
  },
  indicatorTargets: {
    list: 'indicatorTargets',
    one: 'indicatorTarget',
    fields: `id version year baseline target indicator { id code name } unit ${unitRef}`,
  },
  indicatorValues: {
    list: 'indicatorValues',
    one: 'indicatorValue',
    fields: `id version year period value textValue numerator denominator indicator { id code name } unit ${unitRef}`,
  },
};
