package io.warden.api;

import java.util.List;

/** One page of a list of resources of one kind. */
public record ResourceList(String apiVersion, String kind, ListMeta metadata, List<Resource> items) {

    public ResourceList {
        items = List.copyOf(items);
    }
}
