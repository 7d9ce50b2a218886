import { registerEnumType } from 'type-graphql';

export enum ExportFormat {
  XLSX = 'XLSX',
  CSV = 'CSV',
  DOCX = 'DOCX',
}
registerEnumType(ExportFormat, { name: 'ExportFormat' });

export const CONTENT_TYPE: Record<ExportFormat, string> = {
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  CSV: 'text/csv; charset=utf-8',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const EXTENSION: Record<ExportFormat, string> = { XLSX: 'xlsx', CSV: 'csv', DOCX: 'docx' };
