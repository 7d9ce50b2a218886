import { useState } from 'react';
import { useLogin, useTranslate } from '@refinedev/core';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { LanguageSwitch } from '../../components/header';

interface Credentials {
  username: string;
  password: string;
}

export default function LoginPage() {
  const t = useTranslate();
  const [error, setError] = useState<string>();
  const { mutate: login, isPending } = useLogin<Credentials>();

  const onFinish = (values: Credentials) => {
    setError(undefined);
    login(values, {
      onSuccess: (result) => {
        if (!result.success) setError(result.error?.message);
      },
    });
  };

  return (
    <div className="ntp-login">
      <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: 28 } }}>
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8 }}>
            <div>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {t('pages.login.title')}
              </Typography.Title>
              <Typography.Text type="secondary">{t('pages.login.subtitle')}</Typography.Text>
            </div>
            <LanguageSwitch />
          </div>
          {error && <Alert type="error" showIcon message={error} data-testid="login-error" />}
          <Form<Credentials> layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
            <Form.Item
              name="username"
              label={t('pages.login.fields.username')}
              rules={[{ required: true, message: t('pages.login.errors.requiredUsername') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('pages.login.fields.password')}
              rules={[{ required: true, message: t('pages.login.errors.requiredPassword') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={isPending}>
              {t('pages.login.signin')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
