// The versions page's actions (admin): make a version current, delete an old one. The checks live
// in db/queries/version-admin.ts; VersionAdminError becomes the message the operator reads.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { deleteVersion, setCurrentVersion, VersionAdminError, type VersionDeletion } from "@/db/queries/version-admin";
import { authorizedAction, UserFacingError } from "@/lib/auth/action";
import { boundedInt, MAX_VERSION } from "@/lib/table/url-state";

const version = boundedInt(MAX_VERSION, "Choose a version.");

async function asUserFacing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VersionAdminError) throw new UserFacingError(error.message);
    throw error;
  }
}

function revalidateVersionPages(): void {
  revalidatePath("/", "layout");
}

export const setCurrentVersionAction = authorizedAction("admin", z.object({ version }), async (input) => {
  await asUserFacing(async () => setCurrentVersion(await getDb(), input.version));
  revalidateVersionPages();
  return { ok: true as const, data: { version: input.version }, message: `Version ${input.version} is now the current version.` };
});

export const deleteVersionSchema = z
  .object({ version, confirm: z.string().trim() })
  .refine((input) => input.confirm === String(input.version), {
    path: ["confirm"],
    message: "Type the version number to confirm.",
  });

export const deleteVersionAction = authorizedAction("admin", deleteVersionSchema, async (input, user) => {
  const deleted: VersionDeletion = await asUserFacing(async () => deleteVersion(await getDb(), input.version, user.email));
  revalidateVersionPages();
  return {
    ok: true as const,
    data: deleted,
    message:
      `Version ${deleted.version} deleted: ${deleted.allocationsDeleted} allocations, ${deleted.unmatchedSellsDeleted} unmatched sells, ` +
      `${deleted.snapshotsDeleted} snapshots, ${deleted.reviewItemsDeleted} review items. Its runs stay in the history.`,
  };
});
