package io.warden.cli;

import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by three spaces, with no trailing blanks, as kubectl prints them. */
final class Table {

    private static final String GAP = "   ";

    private Table() {
    }

    static List<String> render(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(row(headers, widths));
        for (List<String> row : rows) {
            lines.add(row(row, widths));
        }
        return lines;
    }

    /** One row padded to {@code widths}; a longer cell pushes the rest to the right instead of being cut. */
    static String row(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            sb.append(cell);
            if (i < cells.size() - 1) {
                sb.append(" ".repeat(Math.max(0, widths[i] - cell.length()))).append(GAP);
            }
        }
        // Empty trailing cells would otherwise leave trailing blanks.
        return sb.toString().stripTrailing();
    }
}
