import { useTranslate } from '@refinedev/core';
import { Col, Form, Input, Row, Select, Switch, type FormProps } from 'antd';
import { UnitSelect } from '../../components/unit-select';

export const ROLES = ['ADMIN', 'COORDINATOR', 'AGENCY_OFFICER', 'COMMUNE_OFFICER', 'VIEWER'];

export function UserForm({ formProps, editing = false }: { formProps: FormProps; editing?: boolean }) {
  const t = useTranslate();
  return (
    <Form {...formProps} layout="vertical">
      <Row gutter={16}>
        {editing ? (
          <Form.Item name="version" hidden>
            <Input />
          </Form.Item>
        ) : (
          <>
            <Col xs={24} md={12}>
              <Form.Item name="username" label={t('users.fields.username')} rules={[{ required: true }]}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="password" label={t('users.fields.password')} rules={[{ required: true, min: 8 }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Col>
          </>
        )}
        <Col xs={24} md={12}>
          <Form.Item name="displayName" label={t('users.fields.displayName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="role" label={t('users.fields.role')} rules={[{ required: true }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="unitId" label={t('users.fields.unitId')} rules={[{ required: true }]}>
            <UnitSelect />
          </Form.Item>
        </Col>
        {editing && (
          <Col xs={24} md={12}>
            <Form.Item name="disabled" label={t('users.fields.disabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        )}
      </Row>
    </Form>
  );
}
