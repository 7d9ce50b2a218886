import { useState } from 'react';
import { useTranslate } from '@refinedev/core';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { gql, type ApiError } from '../../providers/graphql';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export default function ChangePasswordPage() {
  const t = useTranslate();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const onFinish = async ({ currentPassword, newPassword }: Values) => {
    setError(undefined);
    setSaving(true);
    try {
      await gql('mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', {
        c: currentPassword,
        n: newPassword,
      });
      form.resetFields();
      message.success(t('pages.changePassword.done'));
    } catch (e) {
      const err = e as ApiError;
      const fieldOf: Record<string, keyof Values> = { currentPassword: 'currentPassword', newPassword: 'newPassword' };
      form.setFields(
        Object.entries(err.errors ?? {}).flatMap(([f, msgs]) => (fieldOf[f] ? [{ name: fieldOf[f], errors: msgs as string[] }] : [])),
      );
      setError(err.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('pages.changePassword.title')} style={{ maxWidth: 480 }}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item name="currentPassword" label={t('pages.changePassword.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('pages.changePassword.newPassword')}
          rules={[{ required: true }, { min: 8, message: t('pages.changePassword.tooShort') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('pages.changePassword.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('pages.changePassword.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('buttons.save')}
        </Button>
      </Form>
    </Card>
  );
}
