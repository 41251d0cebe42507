package dev.headend.web;

import java.util.List;

/** The routes of one feature; the {@link Router} is assembled from every feature's group. */
@FunctionalInterface
public interface RouteGroup {
    List<Route> routes();
}
