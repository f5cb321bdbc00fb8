/**
 * One CSV field: quoted, quotes doubled, and a leading `=`, `+`, `-`, `@`, tab or CR neutralised with
 * an apostrophe so a spreadsheet never runs it as a formula (CSV injection).
 */
export function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
