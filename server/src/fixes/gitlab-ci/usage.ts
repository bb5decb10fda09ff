import { shellCommands } from '../../syntax/shell';
import { effectiveLines, entrySource } from '../../dialects/gitlab-ci/assembly';
import { variableValue, type Pipeline, type PipelineJob } from '../../dialects/gitlab-ci/model';
import type { JobUsage } from '../../iam/least-privilege';

/** What assembled jobs run and set, as the planner and the rewrites need it. */

/** What the jobs run, for least privilege: every command of their effective scripts, words split. */
export function jobUsage(pipeline: Pipeline, jobs: readonly PipelineJob[]): JobUsage {
  const commands: string[][] = [];
  const seen = new Set<string>();
  for (const job of jobs) {
    for (const line of effectiveLines(pipeline, job)) {
      for (const command of shellCommands(line.value as string)) {
        const key = command.words.join('\u0000');
        if (seen.has(key)) continue;
        seen.add(key);
        commands.push(command.words);
      }
    }
  }
  return { commands, actions: [] };
}

/** A variable's value as a job sees it, when written literally in this file. */
export function literalVariable(pipeline: Pipeline, job: PipelineJob, name: string): string | undefined {
  const source = entrySource(pipeline, job, 'variables', name);
  if (source.kind !== 'layer' && source.kind !== 'global') return undefined;
  const value = variableValue(source.entry);
  return value !== undefined && value !== '' && !value.includes('$') ? value : undefined;
}

/** The AWS region a job sets literally (`AWS_REGION`, else `AWS_DEFAULT_REGION`). */
export function awsRegion(pipeline: Pipeline, job: PipelineJob): string | undefined {
  return literalVariable(pipeline, job, 'AWS_REGION') ?? literalVariable(pipeline, job, 'AWS_DEFAULT_REGION');
}
