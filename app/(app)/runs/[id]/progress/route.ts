// The run's progress as JSON, polled once a second by its page while it is queued or running.
// Numbers come from this process's live registry when the run executes here (PGlite keeps
// progress only there), otherwise from the log row (a run in another server process saves it).
import { getDb } from "@/db/client";
import { getRun } from "@/db/compute/runs";
import { progressPayload } from "@/components/runs/progress-payload";
import { requireUser } from "@/lib/auth/guard";
import { idParam } from "@/lib/table/url-state";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  await requireUser("viewer", { next: `/runs/${id}` });
  const runId = idParam(id);
  if (runId === undefined) return Response.json({ error: "not found" }, { status: 404 });
  const run = await getRun(await getDb(), runId);
  if (!run) return Response.json({ error: "not found" }, { status: 404 });
  return Response.json(progressPayload(run), { headers: { "cache-control": "no-store" } });
}
