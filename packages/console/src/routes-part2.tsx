import { lazy, Suspense, type ReactNode } from 'react';
import { Route } from 'react-router';
import { Spin } from 'antd';
import {
  AimOutlined,
  BankOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CodeOutlined,
  DashboardOutlined,
  EditOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FundOutlined,
  LineChartOutlined,
  MonitorOutlined,
  ScheduleOutlined,
  TableOutlined,
  TeamOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';

// Part 2 of the console (issue 10): funding, monitoring, reporting, indicators, analysts. Each page is its own chunk.
const AllocationList = lazy(() => import('./pages/funding-allocations/list'));
const AllocationCreate = lazy(() => import('./pages/funding-allocations/create'));
const AllocationShow = lazy(() => import('./pages/funding-allocations/show'));
const FundingSummary = lazy(() => import('./pages/funding-summary'));
const MissionList = lazy(() => import('./pages/missions/list'));
const MissionCreate = lazy(() => import('./pages/missions/create'));
const MissionEdit = lazy(() => import('./pages/missions/edit'));
const MissionShow = lazy(() => import('./pages/missions/show'));
const RecommendationList = lazy(() => import('./pages/recommendations/list'));
const MyDeadlines = lazy(() => import('./pages/my-deadlines'));
const ReportEdit = lazy(() => import('./pages/reports/edit'));
const ReviewQueue = lazy(() => import('./pages/review-queue'));
const ObligationList = lazy(() => import('./pages/reporting-obligations/list'));
const Completeness = lazy(() => import('./pages/completeness'));
const CalendarPage = lazy(() => import('./pages/calendar'));
const IndicatorList = lazy(() => import('./pages/indicators/list'));
const IndicatorCreate = lazy(() => import('./pages/indicators/create'));
const IndicatorShow = lazy(() => import('./pages/indicators/show'));
const IndicatorValues = lazy(() => import('./pages/indicator-values'));
const IndicatorTargets = lazy(() => import('./pages/indicator-targets'));
const QueryPage = lazy(() => import('./pages/query'));

const page = (node: ReactNode) => (
  <Suspense
    fallback={
      <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }}>
        <Spin size="large" />
      </div>
    }
  >
    {node}
  </Suspense>
);

/** Menu groups and resources; labels are `<name>.<name>` and titles `<name>.titles.<action>` in the locales. */
export const part2Resources = [
  { name: 'funding', meta: { icon: <BankOutlined /> } },
  {
    name: 'fundingAllocations',
    list: '/funding/allocations',
    create: '/funding/allocations/create',
    show: '/funding/allocations/show/:id',
    meta: { parent: 'funding', icon: <TableOutlined /> },
  },
  { name: 'fundingSummary', list: '/funding/summary', meta: { parent: 'funding', icon: <BarChartOutlined /> } },
  { name: 'monitoring', meta: { icon: <MonitorOutlined /> } },
  {
    name: 'missions',
    list: '/missions',
    create: '/missions/create',
    edit: '/missions/edit/:id',
    show: '/missions/show/:id',
    meta: { parent: 'monitoring', icon: <TeamOutlined /> },
  },
  { name: 'recommendations', list: '/recommendations', meta: { parent: 'monitoring', icon: <CheckSquareOutlined /> } },
  { name: 'reporting', meta: { icon: <FileTextOutlined /> } },
  { name: 'myDeadlines', list: '/reporting/deadlines', meta: { parent: 'reporting', icon: <FieldTimeOutlined /> } },
  { name: 'reports', edit: '/reports/edit/:id', meta: { parent: 'reporting', hide: true, icon: <EditOutlined /> } },
  { name: 'reviewQueue', list: '/reporting/review', meta: { parent: 'reporting', icon: <FileDoneOutlined /> } },
  { name: 'reportingObligations', list: '/reporting/obligations', meta: { parent: 'reporting', icon: <UnorderedListOutlined /> } },
  { name: 'completeness', list: '/reporting/completeness', meta: { parent: 'reporting', icon: <DashboardOutlined /> } },
  { name: 'calendar', list: '/calendar', meta: { parent: 'reporting', icon: <CalendarOutlined /> } },
  { name: 'indicatorGroup', meta: { icon: <FundOutlined /> } },
  {
    name: 'indicators',
    list: '/indicators',
    create: '/indicators/create',
    show: '/indicators/show/:id',
    meta: { parent: 'indicatorGroup', icon: <LineChartOutlined /> },
  },
  { name: 'indicatorTargets', list: '/indicator-targets', meta: { parent: 'indicatorGroup', icon: <AimOutlined /> } },
  { name: 'indicatorValues', list: '/indicator-values', meta: { parent: 'indicatorGroup', icon: <ScheduleOutlined /> } },
  { name: 'query', list: '/query', meta: { icon: <CodeOutlined /> } },
];

/** Routes inside the signed-in, access-guarded layout. */
export const part2Routes = (
  <>
    <Route path="/funding/allocations">
      <Route index element={page(<AllocationList />)} />
      <Route path="create" element={page(<AllocationCreate />)} />
      <Route path="show/:id" element={page(<AllocationShow />)} />
    </Route>
    <Route path="/funding/summary" element={page(<FundingSummary />)} />
    <Route path="/missions">
      <Route index element={page(<MissionList />)} />
      <Route path="create" element={page(<MissionCreate />)} />
      <Route path="edit/:id" element={page(<MissionEdit />)} />
      <Route path="show/:id" element={page(<MissionShow />)} />
    </Route>
    <Route path="/recommendations" element={page(<RecommendationList />)} />
    <Route path="/reporting/deadlines" element={page(<MyDeadlines />)} />
    <Route path="/reports/edit/:obligationId" element={page(<ReportEdit />)} />
    <Route path="/reporting/review" element={page(<ReviewQueue />)} />
    <Route path="/reporting/obligations" element={page(<ObligationList />)} />
    <Route path="/reporting/completeness" element={page(<Completeness />)} />
    <Route path="/calendar" element={page(<CalendarPage />)} />
    <Route path="/indicators">
      <Route index element={page(<IndicatorList />)} />
      <Route path="create" element={page(<IndicatorCreate />)} />
      <Route path="show/:id" element={page(<IndicatorShow />)} />
    </Route>
    <Route path="/indicator-targets" element={page(<IndicatorTargets />)} />
    <Route path="/indicator-values" element={page(<IndicatorValues />)} />
    <Route path="/query" element={page(<QueryPage />)} />
  </>
);
