// The last word of a CLI whose main() failed: a clear hint for an unmigrated database (exit 4),
// the error's message otherwise (exit 1).
export function exitOnFailure(command: string): (error: unknown) => never {
  return (error) => {
    const code = (error as { code?: string }).code;
    console.error(
      code === "42P01"
        ? `${command}: the database is not migrated yet. Run \`npm run db:migrate\` first.`
        : `${command}: ${(error as Error).message}`,
    );
    process.exit(code === "42P01" ? 4 : 1);
  };
}
