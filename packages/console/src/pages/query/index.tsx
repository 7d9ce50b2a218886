import { useMemo } from 'react';
import { useTranslate } from '@refinedev/core';
import { Card, Typography } from 'antd';
import { GraphiQL } from 'graphiql';
import type { Fetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import i18n from '../../providers/i18n';
import { tokenStore } from '../../providers/graphql';

const EXAMPLE = `# Giải ngân theo dự án và năm / Disbursement by project and year
query {
  fundingSummary(groupBy: [PROJECT, YEAR]) {
    project { code name }
    year
    allocatedAmount
    disbursedAmount
    disbursementRate
  }
}
`;

/** GraphiQL (bundled, no CDN) over /graphql with the signed-in user's token: analysts see what their scope allows. */
export default function QueryPage() {
  const t = useTranslate();
  const fetcher = useMemo<Fetcher>(
    () => async (params) => {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'accept-language': i18n.language?.startsWith('en') ? 'en' : 'vi',
      };
      const token = tokenStore.get();
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
      return res.json();
    },
    [],
  );
  return (
    <Card title={t('query.title')} styles={{ body: { padding: 0 } }}>
      <Typography.Paragraph type="secondary" style={{ padding: '8px 16px', margin: 0 }}>
        {t('query.hint')}
      </Typography.Paragraph>
      <div style={{ height: 'calc(100vh - 220px)', minHeight: 480 }} data-testid="graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={EXAMPLE} storage={sessionStorageLike} />
      </div>
    </Card>
  );
}

/** GraphiQL keeps tabs per browser session rather than forever in localStorage (shared machines in offices). */
const sessionStorageLike = typeof window !== 'undefined' ? window.sessionStorage : undefined;
