import type { CommandLineContext } from '../command-line-context';
import { commandLineActorIn, everyWorkspace } from '../workspaces/service';
import { UsageError } from './usage-error';

/**
 * The workspace a command-line run is recorded in, run as its owner. Before the first account exists
 * there is none: the run then joins the first workspace when its owner signs up.
 */
export async function chooseWorkspace(
  { db }: CommandLineContext,
  wanted: string | undefined,
): Promise<{ id: string; name: string; owner: { id: string; name: string } | undefined } | null> {
  const workspaces = await everyWorkspace(db);
  if (!workspaces.length) {
    if (wanted) throw new UsageError(`--workspace: there are no workspaces yet; open the app to create the owner account first.`);
    return null;
  }
  const names = workspaces.map((w) => `"${w.name}"`).join(', ');
  const found = wanted ? workspaces.filter((w) => w.id === wanted || w.name.toLowerCase() === wanted.toLowerCase()) : workspaces;
  if (!found.length) throw new UsageError(`--workspace: no workspace is called "${wanted}" (workspaces: ${names}).`);
  if (found.length > 1) throw new UsageError(`Choose a workspace with --workspace <name or id> (workspaces: ${names}).`);
  return { ...found[0], owner: await commandLineActorIn(db, found[0].id) };
}

