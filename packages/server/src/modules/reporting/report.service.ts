import { LockMode, ref } from '@mikro-orm/core';
import type { Ctx } from '../../graphql/context';
import { Validation, badInput, forbidden, ruleViolation } from '../../common/errors';
import { checkText, checkVersion, clean, requireFound, stamp } from '../../common/util';
import { snapshot } from '../../audit/snapshot';
import { sql } from '../../db/sql';
import { findInScope } from '../../graphql/list';
import { Role, isAdmin } from '../../auth/roles';
import { Unit, UnitKind } from '../units/unit.entity';
import { StoredFile } from '../files/file.entity';
import { Report, ReportEvent, ReportingObligation } from './reporting.entity';
import { ReportStatus } from './reporting.enums';
import { obligationList, reportList } from './reporting.list';
import type { SaveReportInput } from './reporting.inputs';
import { defaultSections } from './report.sections';

export const getReport = (ctx: Ctx, id: string) => findInScope(ctx, reportList, id);

const locked = () =>
  ruleViolation('REPORT_LOCKED', { vi: 'Báo cáo đã được chấp nhận và bị khóa', en: 'The report was accepted and is locked' });
const invalidTransition = (from: string, action: { vi: string; en: string }) =>
  ruleViolation(
    'INVALID_TRANSITION',
    {
      vi: `Không thể ${action.vi} báo cáo đang ở trạng thái ${from}`,
      en: `Cannot ${action.en} a report in status ${from}`,
    },
    { from },
  );

/**
 * A report is written by users whose home unit is its submitter and, for an administrative submitter
 * (a district), by that district's COORDINATORs; ADMIN writes everything.
 */
async function requireWriter(ctx: Ctx, obligation: ReportingObligation): Promise<void> {
  const caller = ctx.caller!;
  if (isAdmin(caller)) return;
  const submitter = await ctx.em.findOneOrFail(Unit, { id: obligation.submitter.id });
  const own = caller.homeUnitId === submitter.id && caller.role !== Role.VIEWER;
  const administrative = submitter.kind !== UnitKind.AGENCY && submitter.kind !== UnitKind.COMMUNE;
  const coordinator = administrative && caller.role === Role.COORDINATOR && caller.scopeRootId === submitter.id;
  if (!own && !coordinator) {
    throw forbidden({
      vi: 'Chỉ cán bộ của đơn vị báo cáo được soạn và gửi báo cáo này',
      en: "Only the submitting unit's officers may write this report",
    });
  }
}

/** An officer of any recipient unit reviews (ADMIN too). */
async function requireReviewer(ctx: Ctx, obligation: ReportingObligation): Promise<void> {
  const caller = ctx.caller!;
  if (isAdmin(caller)) return;
  const rows = await sql(ctx.em, 'SELECT 1 FROM reporting_obligation_recipient WHERE obligation_id = ? AND unit_id = ?', [
    obligation.id,
    caller.homeUnitId,
  ]);
  if (!rows.length || caller.role === Role.VIEWER) {
    throw forbidden({
      vi: 'Chỉ cán bộ của cơ quan nhận báo cáo được xem xét báo cáo',
      en: 'Only officers of a recipient unit may review the report',
    });
  }
}

function addEvent(ctx: Ctx, report: Report, status: ReportStatus, at: Date, reason?: string | null) {
  const e = ctx.em.create(ReportEvent, { report: ref(report), status, at, actorId: ctx.caller?.userId ?? null, reason: reason ?? null });
  stamp(ctx, e, true);
}

/** The report locked for this decision, so concurrent reviewers are decided one after the other. */
async function lockReport(ctx: Ctx, id: string): Promise<{ report: Report; obligation: ReportingObligation }> {
  const visible = requireFound(await getReport(ctx, id));
  const report = await ctx.em.findOneOrFail(Report, { id: visible.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const obligation = await ctx.em.findOneOrFail(ReportingObligation, { id: report.obligation.id });
  ctx.audit = { entityType: 'Report', entityId: report.id, unitId: obligation.submitter.id, before: snapshot(report) };
  return { report, obligation };
}

function checkSections(v: Validation, sections: { key: string; title: string; body: string }[]) {
  v.check(sections.length <= 100, 'sections', 'Tối đa 100 mục', 'At most 100 sections');
  const keys = new Set<string>();
  sections.forEach((s, i) => {
    checkText(v, `sections[${i}].key`, s.key, 64);
    checkText(v, `sections[${i}].title`, s.title, 500);
    checkText(v, `sections[${i}].body`, s.body, 200_000, false);
    if (keys.has(clean(s.key))) v.add(`sections[${i}].key`, 'Mã mục bị trùng', 'Duplicate section key');
    keys.add(clean(s.key));
  });
}

/** Creates the draft or edits it (version required once it exists); a submitted report waits for review, an accepted one is locked. */
export async function saveReport(ctx: Ctx, input: SaveReportInput): Promise<Report> {
  const obligation = requireFound(await findInScope(ctx, obligationList, input.obligationId));
  const existing = await ctx.em.findOne(Report, { obligation: obligation.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  ctx.audit = { entityType: 'Report', entityId: existing?.id ?? null, unitId: obligation.submitter.id, before: snapshot(existing) };
  await requireWriter(ctx, obligation);
  if (obligation.cancelledAt)
    throw ruleViolation('INVALID_TRANSITION', { vi: 'Nghĩa vụ báo cáo đã bị hủy', en: 'The obligation was cancelled' });
  if (existing) {
    if (input.version == null)
      throw badInput([{ field: 'version', vi: 'Cần phiên bản của báo cáo đã có', en: 'version is required once the report exists' }]);
    checkVersion(existing, input.version);
    if (existing.status === ReportStatus.ACCEPTED) throw locked();
    if (existing.status === ReportStatus.SUBMITTED) throw invalidTransition('SUBMITTED', { vi: 'sửa', en: 'edit' });
  }
  const v = new Validation();
  if (input.title !== undefined && input.title !== null) checkText(v, 'title', input.title, 500);
  if (input.sections) checkSections(v, input.sections);
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  let files: StoredFile[] = [];
  if (attachmentIds.length) {
    const params: unknown[] = [attachmentIds.filter((id) => /^\d{1,18}$/.test(id))];
    const caller = ctx.caller!;
    let scope = 'TRUE';
    if (!isAdmin(caller)) {
      scope = `(f.created_by = ? OR EXISTS (SELECT 1 FROM unit u WHERE u.id = f.unit_id AND u.path LIKE ?))`;
      params.push(caller.userId, `${caller.scopePath}%`);
    }
    const rows = await sql<Record<string, unknown>>(
      ctx.em,
      `SELECT f.* FROM stored_file f WHERE f.id = ANY(?) AND f.archived_at IS NULL AND ${scope}`,
      params,
    );
    files = rows.map((r) => ctx.em.map(StoredFile, r));
    if (files.length !== attachmentIds.length) v.add('attachmentIds', 'Tệp đính kèm không tồn tại', 'An attached file does not exist');
  }
  v.throwIfAny();
  const sections = input.sections?.map((s) => ({ key: clean(s.key), title: clean(s.title), body: s.body.normalize('NFC') }));
  let report = existing;
  if (!report) {
    report = ctx.em.create(Report, {
      obligation: ref(obligation),
      title: input.title ? clean(input.title) : obligation.title,
      sections: sections ?? defaultSections(obligation.type),
      status: ReportStatus.DRAFT,
    });
    stamp(ctx, report, true);
    addEvent(ctx, report, ReportStatus.DRAFT, new Date());
  } else {
    if (input.title) report.title = clean(input.title);
    if (sections) report.sections = sections;
    stamp(ctx, report);
  }
  if (input.attachmentIds) {
    if (existing) await report.attachmentFiles.init();
    report.attachmentFiles.set(files);
  }
  return report;
}

/** The server stamps submittedAt (a client's value is never read). */
export async function submitReport(ctx: Ctx, id: string, version: number): Promise<Report> {
  const { report, obligation } = await lockReport(ctx, id);
  await requireWriter(ctx, obligation);
  checkVersion(report, version);
  if (report.status === ReportStatus.ACCEPTED) throw locked();
  if (report.status === ReportStatus.SUBMITTED) throw invalidTransition('SUBMITTED', { vi: 'gửi lại', en: 'submit' });
  if (obligation.cancelledAt)
    throw ruleViolation('INVALID_TRANSITION', { vi: 'Nghĩa vụ báo cáo đã bị hủy', en: 'The obligation was cancelled' });
  const now = new Date();
  report.status = ReportStatus.SUBMITTED;
  report.submittedAt = now;
  report.submittedBy = ctx.caller!.userId;
  report.reviewedAt = null;
  report.reviewedBy = null;
  report.returnReason = null;
  stamp(ctx, report);
  addEvent(ctx, report, ReportStatus.SUBMITTED, now);
  return report;
}

async function decide(
  ctx: Ctx,
  id: string,
  version: number,
  to: ReportStatus.RETURNED | ReportStatus.ACCEPTED,
  reason?: string,
): Promise<Report> {
  const { report, obligation } = await lockReport(ctx, id);
  await requireReviewer(ctx, obligation);
  checkVersion(report, version);
  if (report.status === ReportStatus.ACCEPTED) throw locked();
  const action = to === ReportStatus.RETURNED ? { vi: 'trả lại', en: 'return' } : { vi: 'chấp nhận', en: 'accept' };
  if (report.status !== ReportStatus.SUBMITTED) throw invalidTransition(report.status, action);
  if (to === ReportStatus.RETURNED) {
    const v = new Validation();
    checkText(v, 'reason', reason, 2000);
    v.throwIfAny();
  }
  const now = new Date();
  report.status = to;
  report.reviewedAt = now;
  report.reviewedBy = ctx.caller!.userId;
  report.returnReason = to === ReportStatus.RETURNED ? clean(reason!) : null;
  stamp(ctx, report);
  addEvent(ctx, report, to, now, report.returnReason);
  if (report.returnReason) ctx.audit.details = { reason: report.returnReason };
  return report;
}

export const returnReport = (ctx: Ctx, id: string, version: number, reason: string) =>
  decide(ctx, id, version, ReportStatus.RETURNED, reason);
export const acceptReport = (ctx: Ctx, id: string, version: number) => decide(ctx, id, version, ReportStatus.ACCEPTED);
