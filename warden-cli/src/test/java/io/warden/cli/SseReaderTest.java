package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<SseReader.Event> read(String stream) throws IOException {
        SseReader reader = new SseReader(new BufferedReader(new StringReader(stream)));
        List<SseReader.Event> events = new ArrayList<>();
        for (SseReader.Event e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return events;
    }

    @Test
    void readsIdEventAndDataAndIgnoresComments() throws IOException {
        assertThat(read("""
                : keep-alive

                id: 43
                event: MODIFIED
                data: {"type":"MODIFIED"}

                : keep-alive
                id: 44
                event: DELETED
                retry: 1000
                data: {"type":"DELETED"}

                """)).containsExactly(
                new SseReader.Event("43", "MODIFIED", "{\"type\":\"MODIFIED\"}"),
                new SseReader.Event("44", "DELETED", "{\"type\":\"DELETED\"}"));
    }

    @Test
    void joinsDataLinesAndAcceptsFieldsWithoutSpaceAndCrLf() throws IOException {
        assertThat(read("id:7\r\ndata:line one\r\ndata: line two\r\n\r\nid: 8\ndata\n\n")).containsExactly(
                new SseReader.Event("7", null, "line one\nline two"),
                new SseReader.Event("8", null, ""));
    }

    @Test
    void anIdOnlyBlockIsReportedWithoutData() throws IOException {
        assertThat(read("id: 9\n\n")).containsExactly(new SseReader.Event("9", null, null));
    }

    @Test
    void anEventCutOffByTheEndOfTheStreamIsDropped() throws IOException {
        assertThat(read("id: 1\ndata: {}\n\nid: 2\ndata: {\"partial\"")).containsExactly(new SseReader.Event("1", null, "{}"));
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored() throws IOException {
        assertThat(read("\uFEFFid: 1\ndata: x\n\n")).containsExactly(new SseReader.Event("1", null, "x"));
    }
}
