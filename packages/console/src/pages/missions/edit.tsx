import { useEffect } from 'react';
import { Edit } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Form } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useGql, useRefreshAll } from '../../components/api';
import { gql } from '../../providers/graphql';
import { RESOURCES } from '../../providers/resources';
import { MissionForm, type MissionValues } from './form';
import type { MissionRecord } from './list';

/** updateMission: dates, units and the member list (replaced as a whole). */
export default function MissionEdit() {
  const t = useTranslate();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const refresh = useRefreshAll();
  const [form] = Form.useForm<MissionValues>();
  const { data, isLoading } = useGql<{ mission: MissionRecord | null }>(
    'mission',
    `query($id: ID!) { mission(id: $id) { ${RESOURCES.missions.fields} } }`,
    { id },
  );
  const m = data?.mission;
  useEffect(() => {
    if (!m) return;
    form.setFieldsValue({
      title: m.title,
      decisionRef: m.decisionRef,
      leadUnitId: m.leadUnit.id,
      planId: m.plan?.id ?? null,
      startDate: m.startDate,
      endDate: m.endDate,
      targetUnitIds: m.targetUnits.map((u) => u.id),
      componentIds: m.components.map((c) => c.id),
      members: m.members.map((x) => ({
        name: x.name,
        position: x.position ?? undefined,
        organizationId: x.organization?.id,
        role: x.role,
      })),
    });
  }, [m, form]);
  const onSave = async (input: MissionValues) => {
    await gql(
      'mutation($id: ID!, $version: Int!, $input: UpdateMissionInput!) { updateMission(id: $id, version: $version, input: $input) { id } }',
      {
        id,
        version: m!.version,
        input,
      },
    );
    await refresh();
    navigate(`/missions/show/${id}`);
  };
  return (
    <Edit resource="missions" recordItemId={id} isLoading={isLoading} footerButtons={() => null} headerButtons={() => null}>
      <MissionForm form={form} onSave={onSave} saveLabel={t('buttons.save')} />
    </Edit>
  );
}
