// The TypeORM CLI's entry point (`npm run typeorm -- migration:generate migrations/Name`).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error(
    'Set DATABASE_URL to run the TypeORM CLI (e.g. the embedded server started by `npm start`).',
  );
}
export default new DataSource(dataSourceOptions(url));
