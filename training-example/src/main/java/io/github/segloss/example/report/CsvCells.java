package io.github.segloss.example.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of RFC 4180 CSV: cells holding a comma or a double quote are quoted, with inner quotes
 * doubled. Cells never hold line breaks (the callers reject them), so a record is one line.
 */
final class CsvCells {

    private CsvCells() {}

    /** Joins cells into one line, quoting where needed. */
    static String join(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0) {
                line.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                line.append(cell);
            }
        }
        return line.toString();
    }

    /**
     * Splits one line into cells.
     *
     * @throws IllegalArgumentException if a quoted cell is not closed or is followed by text
     */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException(
                                "line must close its quoted cell, got: " + line);
                    }
                    char c = line.charAt(i++);
                    if (c != '"') {
                        cell.append(c);
                    } else if (i < line.length() && line.charAt(i) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException(
                            "line must have a comma after a quoted cell at column "
                                    + i
                                    + ", got: "
                                    + line);
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    cell.append(line.charAt(i++));
                }
            }
            cells.add(cell.toString());
            cell.setLength(0);
            if (i >= line.length()) {
                return cells;
            }
            i++; // the comma
        }
    }
}
