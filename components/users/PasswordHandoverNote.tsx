// The outcome of creating a user or resetting a password; a generated password is shown once.
import type { PasswordHandover } from "@/app/(app)/users/user-actions";

export function PasswordHandoverNote({ message, handover }: { message?: string; handover: PasswordHandover }) {
  return (
    <p className="alert-success" role="status" data-testid="user-action-outcome">
      {message}
      {handover.generatedPassword ? (
        <>
          {" "}
          Password for {handover.email}: <code data-testid="generated-password">{handover.generatedPassword}</code> (shown once; hand it over
          securely).
        </>
      ) : null}
    </p>
  );
}
