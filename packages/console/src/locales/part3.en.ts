import type { viPart3, viPart3Enums } from './part3.vi';

/** English texts of console part 3: indicator targets page, deadline rules, exports. */
export const enPart3Enums: typeof viPart3Enums = {
  DeadlineKind: {
    FIXED_DATE: 'Fixed date',
    YEARLY: 'Yearly (day/month)',
    WORKING_DAYS_AFTER_EVENT: 'Working days after the event',
    ON_REQUEST: 'On request',
  },
};

export const enPart3: typeof viPart3 = {
  missionActions: { invalidTransition: 'The mission cannot move from “{{from}}” to “{{to}}”.' },
  indicatorTargets: {
    indicatorTargets: 'Indicator targets',
    titles: { list: 'Indicator targets by unit and year' },
    title: 'Indicator targets by unit and year',
    set: 'Set a target',
    indicator: 'Indicator',
    unit: 'Unit',
    underUnit: 'Under unit',
  },
  deadlineRules: {
    title: 'Report deadline rules',
    add: 'Add a rule',
    edit: 'Edit the rule',
    archive: 'Archive',
    archiveConfirm: 'Archive this rule? Obligations already generated stay as they are.',
    empty: 'No deadline rules yet',
    anyLevel: 'Any level',
    fields: {
      reportType: 'Report type',
      level: 'Submitter level',
      kind: 'Deadline kind',
      deadline: 'Deadline',
      date: 'Date',
      month: 'Month',
      day: 'Day of month',
      workingDays: 'Working days',
      before: 'Due before the day',
    },
    describe: {
      date: '{{date}}',
      yearly: '{{day}}/{{month}} every year',
      workingDays: '{{n}} working days after the event',
      onRequest: 'on request',
      before: 'before',
      by: 'by',
    },
  },
};
