const g = globalThis as typeof globalThis & {
  __mendPg?: { stop: () => Promise<void>; refs: number };
};

export default async function globalTeardown(): Promise<void> {
  const holder = g.__mendPg;
  if (!holder) return;
  holder.refs -= 1;
  if (holder.refs > 0) return;
  g.__mendPg = undefined;
  await holder.stop();
}
