export { DataTable, type ColumnSpec, type DataTableProps, type CellKind, type Row, type FilterSpec } from "./data-table";
