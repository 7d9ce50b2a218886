import { lazy, Suspense, type ReactNode } from 'react';
import { Authenticated, CanAccess, Refine } from '@refinedev/core';
import { ErrorComponent, ThemedLayout, ThemedSider, useNotificationProvider } from '@refinedev/antd';
import routerProvider, {
  CatchAllNavigate,
  DocumentTitleHandler,
  NavigateToResource,
  UnsavedChangesNotifier,
} from '@refinedev/react-router';
import { BrowserRouter, Outlet, Route, Routes } from 'react-router';
import { App as AntdApp, ConfigProvider, Spin } from 'antd';
import viVN from 'antd/es/locale/vi_VN';
import enUS from 'antd/es/locale/en_US';
import { ApartmentOutlined, AuditOutlined, ProjectOutlined, TeamOutlined, HomeOutlined, PartitionOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import '@refinedev/antd/dist/reset.css';
import './styles.css';
import { dataProvider } from './providers/data-provider';
import { authProvider } from './providers/auth-provider';
import { accessControlProvider } from './providers/access-control';
import { i18nProvider } from './providers/i18n';
import { Header, Title } from './components/header';
import { Forbidden } from './components/status';
import { part2Resources, part2Routes } from './routes-part2';

// Each page is its own chunk: the login page does not pay for the tables.
const LoginPage = lazy(() => import('./pages/login'));
const ChangePasswordPage = lazy(() => import('./pages/change-password'));
const HomePage = lazy(() => import('./pages/home'));
const UnitList = lazy(() => import('./pages/units/list'));
const UnitCreate = lazy(() => import('./pages/units/create'));
const UnitEdit = lazy(() => import('./pages/units/edit'));
const UnitShow = lazy(() => import('./pages/units/show'));
const ProgramList = lazy(() => import('./pages/programs/list'));
const ProgramCreate = lazy(() => import('./pages/programs/create'));
const ProgramEdit = lazy(() => import('./pages/programs/edit'));
const ProgramShow = lazy(() => import('./pages/programs/show'));
const ComponentList = lazy(() => import('./pages/program-components/list'));
const ComponentCreate = lazy(() => import('./pages/program-components/create'));
const ComponentEdit = lazy(() => import('./pages/program-components/edit'));
const ComponentShow = lazy(() => import('./pages/program-components/show'));
const UserList = lazy(() => import('./pages/users/list'));
const UserCreate = lazy(() => import('./pages/users/create'));
const UserEdit = lazy(() => import('./pages/users/edit'));
const AuditList = lazy(() => import('./pages/audit-events/list'));

const Loading = () => (
  <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }}>
    <Spin size="large" />
  </div>
);

const page = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;

/** Pages a role may not open show 403 rather than a broken table (the server refuses anyway). */
const Guarded = () => (
  <CanAccess fallback={<Forbidden />}>
    <Outlet />
  </CanAccess>
);

const resources = [
  { name: 'home', list: '/', meta: { icon: <HomeOutlined /> } },
  ...part2Resources,
  {
    name: 'units',
    list: '/units',
    create: '/units/create',
    edit: '/units/edit/:id',
    show: '/units/show/:id',
    meta: { icon: <ApartmentOutlined /> },
  },
  {
    name: 'programs',
    list: '/programs',
    create: '/programs/create',
    edit: '/programs/edit/:id',
    show: '/programs/show/:id',
    meta: { icon: <ProjectOutlined /> },
  },
  {
    name: 'programComponents',
    list: '/program-components',
    create: '/program-components/create',
    edit: '/program-components/edit/:id',
    show: '/program-components/show/:id',
    meta: { icon: <PartitionOutlined /> },
  },
  { name: 'users', list: '/users', create: '/users/create', edit: '/users/edit/:id', meta: { icon: <TeamOutlined /> } },
  { name: 'auditEvents', list: '/audit', meta: { icon: <AuditOutlined /> } },
];

export function App() {
  const { i18n, t } = useTranslation();
  return (
    <BrowserRouter>
      <ConfigProvider locale={i18n.language === 'en' ? enUS : viVN} theme={{ token: { colorPrimary: '#1f6f43', borderRadius: 6 } }}>
        <AntdApp>
          <Refine
            dataProvider={dataProvider}
            authProvider={authProvider}
            accessControlProvider={accessControlProvider}
            i18nProvider={i18nProvider}
            routerProvider={routerProvider}
            notificationProvider={useNotificationProvider}
            resources={resources}
            options={{ disableTelemetry: true, syncWithLocation: true, warnWhenUnsavedChanges: true, title: { text: t('app.short') } }}
          >
            <Routes>
              <Route
                element={
                  <Authenticated key="app" fallback={<CatchAllNavigate to="/login" />}>
                    <ThemedLayout Header={Header} Title={Title} Sider={(props) => <ThemedSider {...props} render={({ items }) => items} />}>
                      <Outlet />
                    </ThemedLayout>
                  </Authenticated>
                }
              >
                <Route index element={page(<HomePage />)} />
                <Route path="/change-password" element={page(<ChangePasswordPage />)} />
                <Route element={<Guarded />}>
                  <Route path="/units">
                    <Route index element={page(<UnitList />)} />
                    <Route path="create" element={page(<UnitCreate />)} />
                    <Route path="edit/:id" element={page(<UnitEdit />)} />
                    <Route path="show/:id" element={page(<UnitShow />)} />
                  </Route>
                  <Route path="/programs">
                    <Route index element={page(<ProgramList />)} />
                    <Route path="create" element={page(<ProgramCreate />)} />
                    <Route path="edit/:id" element={page(<ProgramEdit />)} />
                    <Route path="show/:id" element={page(<ProgramShow />)} />
                  </Route>
                  <Route path="/program-components">
                    <Route index element={page(<ComponentList />)} />
                    <Route path="create" element={page(<ComponentCreate />)} />
                    <Route path="edit/:id" element={page(<ComponentEdit />)} />
                    <Route path="show/:id" element={page(<ComponentShow />)} />
                  </Route>
                  <Route path="/users">
                    <Route index element={page(<UserList />)} />
                    <Route path="create" element={page(<UserCreate />)} />
                    <Route path="edit/:id" element={page(<UserEdit />)} />
                  </Route>
                  <Route path="/audit" element={page(<AuditList />)} />
                  {part2Routes}
                </Route>
                <Route path="*" element={<ErrorComponent />} />
              </Route>
              <Route
                element={
                  <Authenticated key="auth-pages" fallback={<Outlet />}>
                    <NavigateToResource resource="home" />
                  </Authenticated>
                }
              >
                <Route path="/login" element={page(<LoginPage />)} />
              </Route>
            </Routes>
            <UnsavedChangesNotifier />
            <DocumentTitleHandler
              handler={({ resource, action }) => {
                const name = resource?.name;
                const key = name && name !== 'home' ? `${name}.titles.${action ?? 'list'}` : 'app.title';
                return `${t(key)} | ${t('app.short')}`;
              }}
            />
          </Refine>
        </AntdApp>
      </ConfigProvider>
    </BrowserRouter>
  );
}
