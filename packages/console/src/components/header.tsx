import { useGetIdentity, useGetLocale, useLogout, useSetLocale, useTranslate } from '@refinedev/core';
import { Avatar, Button, Dropdown, Layout, Segmented, Space, Typography, theme } from 'antd';
import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import type { Me } from '../providers/auth-provider';

export function LanguageSwitch() {
  const locale = useGetLocale();
  const changeLanguage = useSetLocale();
  const t = useTranslate();
  return (
    <Segmented
      size="small"
      aria-label={t('app.language')}
      data-testid="language-switch"
      value={locale()}
      onChange={(v) => changeLanguage(String(v))}
      options={[
        { label: 'VI', value: 'vi', title: t('app.vi') },
        { label: 'EN', value: 'en', title: t('app.en') },
      ]}
    />
  );
}

export function Header() {
  const { token } = theme.useToken();
  const { data: me } = useGetIdentity<Me>();
  const { mutate: logout } = useLogout();
  const navigate = useNavigate();
  const t = useTranslate();
  return (
    <Layout.Header
      style={{
        background: token.colorBgElevated,
        display: 'flex',
        justifyContent: 'flex-end',
        alignItems: 'center',
        padding: '0 16px',
        height: 64,
        position: 'sticky',
        top: 0,
        zIndex: 10,
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
      }}
    >
      <Space size="middle">
        <LanguageSwitch />
        {me && (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                {
                  key: 'role',
                  label: (
                    <Typography.Text type="secondary">
                      {t(`roles.${me.role}`)} · {me.unit.name}
                    </Typography.Text>
                  ),
                  disabled: true,
                },
                { type: 'divider' },
                { key: 'password', icon: <KeyOutlined />, label: t('buttons.changePassword'), onClick: () => navigate('/change-password') },
                { key: 'logout', icon: <LogoutOutlined />, label: t('buttons.logout'), onClick: () => logout() },
              ],
            }}
          >
            <Button type="text" data-testid="user-menu" style={{ height: 40 }}>
              <Space>
                <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
                <span className="ntp-user-name">{me.displayName}</span>
              </Space>
            </Button>
          </Dropdown>
        )}
      </Space>
    </Layout.Header>
  );
}

export function Title({ collapsed }: { collapsed: boolean }) {
  const t = useTranslate();
  return (
    <Space align="center" style={{ fontWeight: 700, fontSize: 15, color: 'inherit' }}>
      <span
        aria-hidden
        style={{
          display: 'inline-block',
          width: 24,
          height: 24,
          borderRadius: 6,
          background: '#1f6f43',
          color: '#fff',
          textAlign: 'center',
          lineHeight: '24px',
          fontSize: 12,
        }}
      >
        GN
      </span>
      {!collapsed && <span>{t('app.short')}</span>}
    </Space>
  );
}
