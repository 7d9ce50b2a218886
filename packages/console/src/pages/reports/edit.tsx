import { useEffect, useState } from 'react';
import { Edit } from '@refinedev/antd';
import { useCan, useTranslate } from '@refinedev/core';
import { Alert, Button, Card, Col, Descriptions, Empty, Form, Input, Popconfirm, Row, Space, Tag, Upload, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useParams } from 'react-router';
import { downloadFile, showFieldErrors, uploadFile, useGql, useRefreshAll, type StoredFile } from '../../components/api';
import { DateText } from '../../components/formatted';
import { useAction } from '../../components/use-action';
import { gql } from '../../providers/graphql';
import { StatusTag } from '../missions/list';
import { ReportHistory, type ReportEvent } from './history';

export interface ReportDetail {
  id: string;
  version: number;
  title: string;
  status: string;
  submittedAt: string | null;
  returnReason: string | null;
  sections: { key: string; title: string; body: string }[];
  attachments: StoredFile[];
  history: ReportEvent[];
}
export interface ObligationDetail {
  id: string;
  type: string;
  title: string;
  dueDate: string;
  status: string;
  daysLate: number | null;
  submitter: { id: string; name: string };
  recipients: { id: string; name: string }[];
  report: ReportDetail | null;
}

export const REPORT_FIELDS = `id version title status submittedAt returnReason sections { key title body }
  attachments { id name size contentType } history { status at reason actor { id displayName } }`;
export const OBLIGATION = `query($id: ID!) { reportingObligation(id: $id) {
  id type title dueDate status daysLate submitter { id name } recipients { id name } report { ${REPORT_FIELDS} }
} }`;

interface Values {
  title: string;
  sections: { key: string; title: string; body: string }[];
}

const formatSize = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(1)} MB`);

export function Attachments({ files, onRemove }: { files: StoredFile[]; onRemove?: (id: string) => void }) {
  const t = useTranslate();
  const { run } = useAction();
  if (!files.length) return <Typography.Text type="secondary">{t('reports.noAttachments')}</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="attachments">
      {files.map((f) => (
        <Space key={f.id}>
          <PaperClipOutlined />
          <a onClick={() => run(() => downloadFile(f.id, f.name))}>{f.name}</a>
          <Typography.Text type="secondary">{formatSize(f.size)}</Typography.Text>
          {onRemove && (
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              onClick={() => onRemove(f.id)}
              aria-label={t('buttons.remove')}
            />
          )}
        </Space>
      ))}
    </Space>
  );
}

/** The report of one obligation: sections, attachments (POST /files), save as draft, submit. */
export default function ReportEdit() {
  const t = useTranslate();
  const { obligationId = '' } = useParams();
  const refresh = useRefreshAll();
  const { run, pending } = useAction();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<StoredFile[]>([]);
  const { data, isLoading } = useGql<{ reportingObligation: ObligationDetail | null }>('obligation', OBLIGATION, { id: obligationId });
  const { data: canWrite } = useCan({ resource: 'reports', action: 'writeReport' });
  const o = data?.reportingObligation;
  const r = o?.report;
  const editable = !!canWrite?.can && (!r || r.status === 'DRAFT' || r.status === 'RETURNED') && o?.status !== 'CANCELLED';

  useEffect(() => {
    if (!r) return;
    form.setFieldsValue({ title: r.title, sections: r.sections });
    setFiles(r.attachments);
  }, [r, form]);

  const save = async (): Promise<ReportDetail | undefined> => {
    const values = r ? await form.validateFields() : undefined;
    return run(async () => {
      try {
        const res = await gql<{ saveReport: ReportDetail }>(
          `mutation($input: SaveReportInput!) { saveReport(input: $input) { ${REPORT_FIELDS} } }`,
          {
            input: r
              ? {
                  obligationId,
                  version: r.version,
                  title: values!.title,
                  sections: values!.sections,
                  attachmentIds: files.map((f) => f.id),
                }
              : { obligationId },
          },
        );
        await refresh();
        return res.saveReport;
      } catch (e) {
        showFieldErrors(form, e);
        throw e;
      }
    }, t('reports.saved'));
  };

  const submit = async () => {
    const saved = await save();
    if (!saved) return;
    await run(async () => {
      await gql('mutation($id: ID!, $version: Int!) { submitReport(id: $id, version: $version) { id } }', {
        id: saved.id,
        version: saved.version,
      });
      await refresh();
    }, t('reports.submitted'));
  };

  const exportDocx = () =>
    run(async () => {
      const res = await gql<{ exportReport: { id: string; name: string } }>(
        'mutation($id: ID!) { exportReport(reportId: $id, format: DOCX) { id name } }',
        { id: r!.id },
      );
      await downloadFile(res.exportReport.id, res.exportReport.name);
    });

  return (
    <Edit
      resource="reports"
      recordItemId={obligationId}
      isLoading={isLoading}
      title={o?.title ?? t('reports.titles.edit')}
      headerButtons={() => null}
      footerButtons={() =>
        o && (
          <Space wrap>
            {r && (
              <Button icon={<DownloadOutlined />} onClick={exportDocx}>
                Word (.docx)
              </Button>
            )}
            {editable && !r && (
              <Button type="primary" onClick={() => save()} loading={pending} data-testid="report-create">
                {t('reports.createDraft')}
              </Button>
            )}
            {editable && r && (
              <>
                <Button onClick={() => save()} loading={pending} data-testid="report-save">
                  {t('reports.saveDraft')}
                </Button>
                <Popconfirm title={t('reports.submitConfirm')} onConfirm={submit}>
                  <Button type="primary" loading={pending} data-testid="report-submit">
                    {t('reports.submit')}
                  </Button>
                </Popconfirm>
              </>
            )}
          </Space>
        )
      }
    >
      {o && (
        <Row gutter={16}>
          <Col xs={24} xl={16}>
            {r?.status === 'RETURNED' && r.returnReason && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                message={t('reports.returned')}
                description={r.returnReason}
                data-testid="return-reason"
              />
            )}
            {!r ? (
              <Empty description={t('reports.noDraft')} />
            ) : (
              <Form form={form} layout="vertical" disabled={!editable}>
                <Form.Item name="title" label={t('reports.fields.title')} rules={[{ required: true }]}>
                  <Input maxLength={500} />
                </Form.Item>
                <Form.List name="sections">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((field, i) => (
                        <Card
                          key={field.key}
                          size="small"
                          style={{ marginBottom: 12 }}
                          title={
                            <Form.Item name={[field.name, 'title']} noStyle rules={[{ required: true }]}>
                              <Input variant="borderless" style={{ fontWeight: 600, paddingLeft: 0 }} prefix={`${i + 1}.`} />
                            </Form.Item>
                          }
                          extra={
                            editable && (
                              <Button
                                size="small"
                                type="text"
                                danger
                                icon={<DeleteOutlined />}
                                onClick={() => remove(field.name)}
                                aria-label={t('buttons.remove')}
                              />
                            )
                          }
                        >
                          <Form.Item name={[field.name, 'key']} hidden>
                            <Input />
                          </Form.Item>
                          <Form.Item name={[field.name, 'body']} style={{ marginBottom: 0 }}>
                            <Input.TextArea
                              autoSize={{ minRows: 3, maxRows: 16 }}
                              placeholder={t('reports.bodyPlaceholder')}
                              data-testid={`section-${i}`}
                            />
                          </Form.Item>
                        </Card>
                      ))}
                      {editable && (
                        <Button icon={<PlusOutlined />} onClick={() => add({ key: `muc-${Date.now().toString(36)}`, title: '', body: '' })}>
                          {t('reports.addSection')}
                        </Button>
                      )}
                    </>
                  )}
                </Form.List>
              </Form>
            )}
          </Col>
          <Col xs={24} xl={8}>
            <Descriptions bordered size="small" column={1} styles={{ label: { width: 120 } }}>
              <Descriptions.Item label={t('reports.fields.type')}>{t(`enums.ReportType.${o.type}`)}</Descriptions.Item>
              <Descriptions.Item label={t('reports.fields.submitter')}>{o.submitter.name}</Descriptions.Item>
              <Descriptions.Item label={t('reports.fields.recipients')}>
                {o.recipients.map((u) => u.name).join(', ') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('reports.fields.dueDate')}>
                <DateText value={o.dueDate} /> {o.daysLate ? <Tag color="red">{t('reports.daysLate', { count: o.daysLate })}</Tag> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('reports.fields.status')}>
                <span data-testid="report-status">
                  <StatusTag status={r?.status ?? o.status} enumName={r ? 'ReportStatus' : 'ObligationStatus'} />
                </span>
              </Descriptions.Item>
            </Descriptions>
            {r && (
              <Card size="small" title={t('reports.fields.attachments')} style={{ marginTop: 16 }}>
                <Attachments files={files} onRemove={editable ? (id) => setFiles((fs) => fs.filter((f) => f.id !== id)) : undefined} />
                {editable && (
                  <Upload
                    showUploadList={false}
                    customRequest={async ({ file, onSuccess, onError }) => {
                      const stored = await run(() => uploadFile(file as File));
                      if (stored) {
                        setFiles((fs) => [...fs, stored]);
                        onSuccess?.(stored);
                      } else onError?.(new Error('upload'));
                    }}
                  >
                    <Button icon={<UploadOutlined />} style={{ marginTop: 12 }} data-testid="attach">
                      {t('reports.attach')}
                    </Button>
                  </Upload>
                )}
                {editable && files.length !== r.attachments.length && (
                  <Typography.Paragraph type="warning" style={{ marginTop: 8, marginBottom: 0 }}>
                    {t('reports.saveToKeep')}
                  </Typography.Paragraph>
                )}
              </Card>
            )}
            {r && (
              <Card size="small" title={t('reports.history')} style={{ marginTop: 16 }}>
                <ReportHistory events={r.history} />
              </Card>
            )}
          </Col>
        </Row>
      )}
    </Edit>
  );
}
