import { defineTask, noPayload } from '../../tasks/task.ts';
import { fileStorage } from '../cvs/storage.ts';
import { buildNextExport, deleteExpiredExports } from './exports.service.ts';

const MAX_PER_RUN = 20;

export const exportsTask = defineTask<void>({
  name: 'exports',
  summary: 'Build requested data exports (ZIP of every row and CV file of the user); delete expired ones',
  schema: noPayload,
  schedule: '* * * * *',
  async run({ db, config, now }) {
    const storage = fileStorage(config, db);
    let built = 0;
    while (built < MAX_PER_RUN && (await buildNextExport(db, storage, now))) built++;
    return { built, expired: await deleteExpiredExports(db, storage, now) };
  },
});
