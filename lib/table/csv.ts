// CSV (RFC 4180) encoding and a streaming response body: rows are pulled from the database only
// as fast as the client reads them, so an export of 1,000,000 rows never sits in memory.

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * One CSV field. Quotes when needed (doubling inner quotes). Text that a spreadsheet would run as
 * a formula (=, +, -, @ at the start) gets a leading apostrophe; plain numbers are left alone.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return values.map(csvField).join(",") + "\r\n";
}

const CHUNK_CHARS = 64 * 1024;

/**
 * A byte stream of CSV: the header, then one line per row of `rows`. Pull-based: the next batch
 * of rows is read only when the consumer asks; cancelling (client gone) ends the row iterator,
 * which lets the database side stop and release its connection.
 */
export function csvStream(
  header: readonly string[],
  rows: AsyncIterable<ReadonlyArray<string | number | null>>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<ReadonlyArray<string | number | null>> | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = "";
      if (!headerSent) {
        chunk = csvLine(header);
        headerSent = true;
      }
      iterator ??= rows[Symbol.asyncIterator]();
      try {
        while (chunk.length < CHUNK_CHARS) {
          const next = await iterator.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += csvLine(next.value);
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}

/** Parses CSV text (tests and tools): RFC 4180 quoting, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
