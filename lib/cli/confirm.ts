// Asks the operator to type YES (all caps) on stdin; anything else, or no answer, is a no.
import { createInterface } from "node:readline/promises";

export async function confirmYes(prompt = "Type YES (all caps) to continue: "): Promise<boolean> {
  if (!process.stdin.isTTY) console.log(prompt.trim());
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  try {
    const answer = await rl.question(process.stdin.isTTY ? prompt : "");
    return answer.trim() === "YES";
  } catch {
    return false; // stdin closed without an answer
  } finally {
    rl.close();
  }
}
