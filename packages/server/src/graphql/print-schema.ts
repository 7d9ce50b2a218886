import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSchema, lexicographicSortSchema } from 'graphql';
import { buildAppSchema } from './schema';

/** Writes the SDL to schema.graphql (the committed contract); `--check` fails when it differs. */
async function main() {
  const file = path.resolve(__dirname, '../../../../schema.graphql');
  const sdl = `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (committed !== sdl) {
      console.error('schema.graphql differs from the schema the code builds; run `pnpm build` and commit schema.graphql');
      process.exit(1);
    }
    console.log('schema.graphql matches the code.');
    return;
  }
  fs.writeFileSync(file, sdl);
  console.log(`Wrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
