import { ID } from 'type-graphql';
import { defineList, enumFilter, SortDirection } from '../../graphql/list';
import { ReportType } from '../programs/program.enums';
import { ReportingObligation, Report } from './reporting.entity';
import { ObligationStatus, ReportStatus } from './reporting.enums';
import { OBLIGATION_UNITS_SQL, REPORT_UNITS_SQL, statusSql } from './reporting.sql';

const ObligationStatusFilter = enumFilter(ObligationStatus, 'ObligationStatus');

export const obligationList = defineList({
  name: 'ReportingObligation',
  entity: ReportingObligation,
  gqlType: () => ReportingObligation,
  table: 'reporting_obligation',
  unitLink: { unitsSql: OBLIGATION_UNITS_SQL },
  fields: {
    id: { kind: 'id', column: 't.id' },
    type: { kind: 'enum', column: 't.type', enumType: ReportType, enumName: 'ReportType' },
    programId: { kind: 'id', column: 't.program_id' },
    componentId: { kind: 'id', column: 't.component_id' },
    submitterId: { kind: 'id', column: 't.submitter_id' },
    missionId: { kind: 'id', column: 't.mission_id' },
    year: { kind: 'int', column: 't.year' },
    dueDate: { kind: 'date', column: 't.due_date' },
    title: { kind: 'string', column: 't.title' },
  },
  extraFilters: {
    status: {
      type: () => ObligationStatusFilter,
      description: 'the computed status (today in Vietnam time)',
      apply: (value: { eq?: string; in?: string[]; notIn?: string[] }, params) => {
        const expr = `(SELECT ${statusSql('t', 'sr')} FROM (SELECT 1) one LEFT JOIN report sr ON sr.obligation_id = t.id)`;
        const conds: string[] = [];
        if (value.eq) {
          params.push(value.eq);
          conds.push(`${expr} = ?`);
        }
        if (value.in) {
          params.push(value.in);
          conds.push(`${expr} = ANY(?)`);
        }
        if (value.notIn) {
          params.push(value.notIn);
          conds.push(`NOT (${expr} = ANY(?))`);
        }
        return conds.length ? conds.join(' AND ') : 'TRUE';
      },
    },
    recipientId: {
      type: () => ID,
      description: 'obligations with this recipient unit',
      apply: (value: string, params) => {
        params.push(value);
        return 'EXISTS (SELECT 1 FROM reporting_obligation_recipient fr WHERE fr.obligation_id = t.id AND fr.unit_id::text = ?)';
      },
    },
  },
  sort: {
    DUE_DATE: { column: 't.due_date' },
    TYPE: { column: 't.type' },
    YEAR: { column: 't.year', nullable: true },
    TITLE: { column: 't.title', vietnamese: true },
    CREATED_AT: { column: 't.created_at' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'DUE_DATE', direction: SortDirection.ASC }],
});

export const reportList = defineList({
  name: 'Report',
  entity: Report,
  gqlType: () => Report,
  table: 'report',
  unitLink: { unitsSql: REPORT_UNITS_SQL },
  fields: {
    id: { kind: 'id', column: 't.id' },
    obligationId: { kind: 'id', column: 't.obligation_id' },
    status: { kind: 'enum', column: 't.status', enumType: ReportStatus, enumName: 'ReportStatus' },
    title: { kind: 'string', column: 't.title' },
    submittedAt: { kind: 'datetime', column: 't.submitted_at' },
    reviewedAt: { kind: 'datetime', column: 't.reviewed_at' },
  },
  sort: {
    SUBMITTED_AT: { column: 't.submitted_at', nullable: true },
    TITLE: { column: 't.title', vietnamese: true },
    CREATED_AT: { column: 't.created_at' },
    UPDATED_AT: { column: 't.updated_at' },
  },
  defaultSort: [{ field: 'CREATED_AT', direction: SortDirection.ASC }],
});
