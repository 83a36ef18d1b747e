/**
 * `jobr jobs reindex-skills`: re-derive what matching reads from every job's title and description
 * (jobs.text_skills and jobs.match_facts).
 */
import { reindexJobSkills } from '../modules/match/reindex.ts';
import type { Command } from './command.ts';

export const jobsReindexSkillsCommand: Command = {
  summary: "Re-derive every job's text skills and match facts (title and description), e.g. after a taxonomy change",
  usage: 'jobr jobs reindex-skills',
  needsDatabase: true,
  async run(_args, { database, io }) {
    if (!database) throw new Error('database not opened');
    const result = await reindexJobSkills(database.db);
    io.out(`Done: ${result.jobs} jobs read, ${result.changed} updated.`);
    return 0;
  },
};
