import type { Metadata } from "next";
import { formatTimestamp } from "@/components/runs/format";
import { CreateUserForm } from "@/components/users/CreateUserForm";
import { DisableButton, ResetPasswordForm, RoleForm } from "@/components/users/UserRowActions";
import { getDb } from "@/db/client";
import { listUsersForAdmin, recentUserChanges, type UserChangeRow } from "@/db/user-admin";
import { requireUser } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

// Admins manage who can sign in: create, change role, disable, reset password. Every change is
// recorded below with who made it.
export default async function UsersPage() {
  const me = await requireUser("admin", { next: "/users" });
  const db = await getDb();
  const [users, changes] = await Promise.all([listUsersForAdmin(db), recentUserChanges(db, 50)]);

  return (
    <main className="page page-wide stack">
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="muted">Viewers read, reviewers also work the review queue, admins also start runs and manage users.</p>
        </div>
      </div>

      <section className="card" aria-label="Create a user">
        <h2>Create a user</h2>
        <CreateUserForm />
      </section>

      <div className="table-wrap">
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th>E-mail</th>
              <th>Role</th>
              <th>Status</th>
              <th className="num">Sessions</th>
              <th>Created</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid="user-row" data-email={u.email}>
                <td>
                  {u.email}
                  {u.id === me.id ? <span className="muted"> (you)</span> : null}
                </td>
                <td>
                  <RoleForm userId={u.id} email={u.email} role={u.role} />
                </td>
                <td>
                  <span className={u.disabledAt ? "badge badge-warn" : "badge badge-ok"} data-testid="user-status">
                    {u.disabledAt ? "disabled" : "enabled"}
                  </span>
                </td>
                <td className="num">{u.activeSessions}</td>
                <td>{formatTimestamp(u.createdAt)}</td>
                <td>
                  <div className="toolbar">
                    <DisableButton userId={u.id} disabled={u.disabledAt !== null} />
                    <ResetPasswordForm userId={u.id} email={u.email} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="card" aria-label="Recent changes">
        <h2>Recent changes</h2>
        {changes.length === 0 ? (
          <p className="muted">No changes recorded yet.</p>
        ) : (
          <ul data-testid="user-changes">
            {changes.map((c) => (
              <li key={c.id}>
                <span className="muted">{formatTimestamp(c.changedAt)}</span> {c.actor}: {describeChange(c)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

function describeChange(change: UserChangeRow): string {
  const d = change.details as { role?: string; from?: string; to?: string };
  switch (change.action) {
    case "created":
      return `created ${change.userEmail} as ${d.role ?? "?"}`;
    case "role_changed":
      return `changed ${change.userEmail} from ${d.from ?? "?"} to ${d.to ?? "?"}`;
    case "disabled":
      return `disabled ${change.userEmail}`;
    case "enabled":
      return `enabled ${change.userEmail}`;
    case "password_reset":
      return `reset the password of ${change.userEmail}`;
  }
}
