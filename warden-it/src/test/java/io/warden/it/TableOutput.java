package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a table the CLI printed when the test does not control every row (the users, tokens or
 * roles of a whole server): checks the layout every table has (header, columns three spaces
 * apart, each cell starting under its header, no trailing blanks) and returns the cells, so the
 * test can compare the rows it does control exactly.
 */
final class TableOutput {

    private static final Pattern HEADER_CELL = Pattern.compile("\\S+(?: \\S+)*");

    private TableOutput() {
    }

    /** The rows below the header, as cells; the header's cells must be {@code headers}. */
    static List<List<String>> rows(List<String> lines, String... headers) {
        assertThat(lines).as("a table").isNotEmpty();
        String header = lines.getFirst();
        // Header cells hold single blanks at most ("LAST LOGIN"); columns are three or more apart.
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher cell = HEADER_CELL.matcher(header);
        while (cell.find()) {
            starts.add(cell.start());
            names.add(cell.group());
        }
        assertThat(names).as("the header of %s", lines).containsExactly(headers);
        for (int c = 1; c < starts.size(); c++) {
            assertThat(header.substring(starts.get(c) - 3, starts.get(c))).as("three blanks before column %d", c).isEqualTo("   ");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line).as("no trailing blanks").doesNotEndWith(" ");
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < starts.size(); c++) {
                int start = starts.get(c);
                int end = c + 1 < starts.size() ? Math.min(starts.get(c + 1), line.length()) : line.length();
                assertThat(start).as("column %d of %s", c, line).isLessThan(line.length());
                assertThat(line.charAt(start)).as("column %d starts under its header in %s", c, line).isNotEqualTo(' ');
                if (c > 0) {
                    assertThat(line.substring(start - 3, start)).as("three blanks before column %d in %s", c, line).isEqualTo("   ");
                }
                cells.add(line.substring(start, end).strip());
            }
            rows.add(cells);
        }
        return rows;
    }
}
