"use client";
// Per-user controls on the users page: change the role, disable or enable, reset the password.
// The server refuses demoting or disabling the last enabled admin; its message shows here.
import { useActionState } from "react";
import { changeRole, resetPassword, setDisabled } from "@/app/(app)/users/actions";
import type { ActionResult } from "@/lib/auth/action";
import { ROLES, type Role } from "@/lib/auth/roles";
import { PasswordHandoverNote } from "./PasswordHandoverNote";

function Outcome({ state }: { state: ActionResult<unknown> | null }) {
  if (!state) return null;
  if (!state.ok) {
    return (
      <span className="field-error" role="alert">
        {" "}
        {Object.values(state.fieldErrors ?? {})[0] ?? state.error}
      </span>
    );
  }
  return (
    <span className="muted" role="status">
      {" "}
      {state.message}
    </span>
  );
}

export function RoleForm({ userId, email, role }: { userId: number; email: string; role: Role }) {
  const [state, formAction, pending] = useActionState(changeRole, null);
  return (
    <form action={formAction} style={{ display: "inline" }}>
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} aria-label={`Role of ${email}`} data-testid="role-select">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>{" "}
      <button type="submit" className="btn btn-small" disabled={pending} data-testid="change-role">
        Change role
      </button>
      <Outcome state={state} />
    </form>
  );
}

export function DisableButton({ userId, disabled }: { userId: number; disabled: boolean }) {
  const [state, formAction, pending] = useActionState(setDisabled, null);
  return (
    <form action={formAction} style={{ display: "inline" }}>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <button type="submit" className={disabled ? "btn btn-small" : "btn btn-small btn-danger"} disabled={pending} data-testid={disabled ? "enable-user" : "disable-user"}>
        {disabled ? "Enable" : "Disable"}
      </button>
      <Outcome state={state} />
    </form>
  );
}

export function ResetPasswordForm({ userId, email }: { userId: number; email: string }) {
  const [state, formAction, pending] = useActionState(resetPassword, null);
  return (
    <details style={{ display: "inline-block" }}>
      <summary className="btn btn-small" data-testid="reset-password">
        Reset password…
      </summary>
      <form action={formAction} style={{ marginTop: 8 }}>
        <input type="hidden" name="userId" value={userId} />
        <div className="field">
          <label htmlFor={`reset-${userId}`}>New password for {email}</label>
          <input id={`reset-${userId}`} name="password" type="password" autoComplete="new-password" />
          <p className="field-hint">Empty: one is generated and shown once. Signs the user out everywhere.</p>
        </div>
        <button type="submit" className="btn btn-small" disabled={pending}>
          Set new password
        </button>
        {state?.ok ? <PasswordHandoverNote message={state.message} handover={state.data} /> : <Outcome state={state} />}
      </form>
    </details>
  );
}
