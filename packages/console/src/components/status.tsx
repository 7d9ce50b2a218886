import { useTranslate } from '@refinedev/core';
import { Button, Result, Tag } from 'antd';
import { Link } from 'react-router';

const KIND_COLOR: Record<string, string> = {
  PROVINCE: 'purple',
  DISTRICT: 'blue',
  COMMUNE: 'green',
  AGENCY: 'orange',
  PROJECT: 'geekblue',
  SUB_PROJECT: 'cyan',
};
const ROLE_COLOR: Record<string, string> = {
  ADMIN: 'red',
  COORDINATOR: 'blue',
  AGENCY_OFFICER: 'orange',
  COMMUNE_OFFICER: 'green',
  VIEWER: 'default',
};

export function KindTag({ kind, enumName = 'UnitKind' }: { kind: string; enumName?: string }) {
  const t = useTranslate();
  return <Tag color={KIND_COLOR[kind] ?? 'default'}>{t(`enums.${enumName}.${kind}`, kind)}</Tag>;
}

export function RoleTag({ role }: { role: string }) {
  const t = useTranslate();
  return <Tag color={ROLE_COLOR[role] ?? 'default'}>{t(`roles.${role}`, role)}</Tag>;
}

export function Forbidden() {
  const t = useTranslate();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('pages.error.403')}
      extra={
        <Link to="/">
          <Button type="primary">{t('pages.error.backHome')}</Button>
        </Link>
      }
    />
  );
}
