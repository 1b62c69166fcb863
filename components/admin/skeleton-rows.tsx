/** Table rows of grey bars while the first page loads (the table keeps its header, so nothing jumps). */
export function SkeletonRows({ columns, rows = 8 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        <tr key={row}>
          {Array.from({ length: columns }, (_, column) => (
            <td key={column} className="px-4 py-3">
              <div className={`h-3.5 animate-pulse rounded bg-stone-200 dark:bg-stone-800 ${column === 1 ? "w-48" : "w-20"}`} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
