package io.warden.cli;

import io.warden.api.Kind;
import io.warden.api.Kinds;
import java.util.Iterator;

/** KIND values offered by shell completion: the plurals, as people mostly type them. */
final class KindCandidates implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return Kinds.all().stream().map(Kind::plural).iterator();
    }
}
