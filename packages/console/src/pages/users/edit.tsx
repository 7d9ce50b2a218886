import { Edit, useForm } from '@refinedev/antd';
import { UserForm } from './form';

export default function UserEdit() {
  const { formProps, saveButtonProps } = useForm({ redirect: 'list' });
  return (
    <Edit saveButtonProps={saveButtonProps} canDelete={false}>
      <UserForm formProps={formProps} editing />
    </Edit>
  );
}
