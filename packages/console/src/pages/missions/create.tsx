import { Create } from '@refinedev/antd';
import { useTranslate } from '@refinedev/core';
import { Form } from 'antd';
import { useNavigate } from 'react-router';
import { useRefreshAll } from '../../components/api';
import { gql } from '../../providers/graphql';
import { MissionForm, type MissionValues } from './form';

export default function MissionCreate() {
  const t = useTranslate();
  const navigate = useNavigate();
  const refresh = useRefreshAll();
  const [form] = Form.useForm<MissionValues>();
  const onSave = async (input: MissionValues) => {
    const data = await gql<{ createMission: { id: string } }>(
      'mutation($input: CreateMissionInput!) { createMission(input: $input) { id } }',
      { input },
    );
    await refresh();
    navigate(`/missions/show/${data.createMission.id}`);
  };
  return (
    <Create resource="missions" footerButtons={() => null}>
      <MissionForm form={form} onSave={onSave} saveLabel={t('buttons.save')} initialValues={{ members: [{ name: '', role: 'HEAD' }] }} />
    </Create>
  );
}
