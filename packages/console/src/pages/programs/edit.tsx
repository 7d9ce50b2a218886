import { Edit, useForm } from '@refinedev/antd';
import { ProgramForm } from './form';

export default function ProgramEdit() {
  const { formProps, saveButtonProps } = useForm({ redirect: 'show' });
  return (
    <Edit saveButtonProps={saveButtonProps}>
      <ProgramForm formProps={formProps} editing />
    </Edit>
  );
}
