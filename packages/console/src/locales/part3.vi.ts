/** Vietnamese texts of console part 3: indicator targets page, deadline rules, exports. */
export const viPart3Enums = {
  DeadlineKind: {
    FIXED_DATE: 'Ngày cố định',
    YEARLY: 'Hằng năm (ngày/tháng)',
    WORKING_DAYS_AFTER_EVENT: 'Số ngày làm việc sau sự kiện',
    ON_REQUEST: 'Theo yêu cầu',
  },
};

export const viPart3 = {
  missionActions: { invalidTransition: 'Không thể chuyển đợt giám sát từ «{{from}}» sang «{{to}}».' },
  indicatorTargets: {
    indicatorTargets: 'Mục tiêu chỉ tiêu',
    titles: { list: 'Mục tiêu chỉ tiêu theo đơn vị và năm' },
    title: 'Mục tiêu chỉ tiêu theo đơn vị và năm',
    set: 'Đặt mục tiêu',
    indicator: 'Chỉ tiêu',
    unit: 'Đơn vị',
    underUnit: 'Thuộc đơn vị',
  },
  deadlineRules: {
    title: 'Quy tắc hạn nộp báo cáo',
    add: 'Thêm quy tắc',
    edit: 'Sửa quy tắc',
    archive: 'Lưu trữ',
    archiveConfirm: 'Lưu trữ quy tắc này? Các nghĩa vụ đã sinh không đổi.',
    empty: 'Chưa có quy tắc hạn nộp',
    anyLevel: 'Mọi cấp',
    fields: {
      reportType: 'Loại báo cáo',
      level: 'Cấp đơn vị nộp',
      kind: 'Cách tính hạn',
      deadline: 'Hạn nộp',
      date: 'Ngày',
      month: 'Tháng',
      day: 'Ngày trong tháng',
      workingDays: 'Số ngày làm việc',
      before: 'Nộp trước ngày hạn',
    },
    describe: {
      date: '{{date}}',
      yearly: 'ngày {{day}}/{{month}} hằng năm',
      workingDays: '{{n}} ngày làm việc sau sự kiện',
      onRequest: 'theo yêu cầu',
      before: 'trước',
      by: 'đến hết',
    },
  },
};
