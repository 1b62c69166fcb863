/** A chart's numbers as a table only screen readers see: the chart itself is hidden from them. */
export function ChartTable({ caption, columns, rows }: { caption: string; columns: readonly string[]; rows: ReadonlyArray<{ readonly key: string; readonly label: string; readonly values: readonly number[] }> }) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            {row.values.map((value, index) => (
              <td key={columns[index + 1] ?? index}>{value}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
